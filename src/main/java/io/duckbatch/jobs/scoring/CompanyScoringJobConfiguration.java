package io.duckbatch.jobs.scoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.ReadOnlyAttachment;
import io.duckbatch.core.duckdb.TableCheck;
import io.duckbatch.core.job.StandardJobListeners;
import io.duckbatch.core.keyset.KeyRangePartitioner;
import io.duckbatch.core.keyset.KeysetQuery;
import io.duckbatch.core.read.KeysetItemReader;
import io.duckbatch.core.remote.PartitionTarget;
import io.duckbatch.core.resume.DestinationCheckpoint;
import io.duckbatch.core.skip.DeadLetters;
import io.duckbatch.core.skip.RejectsTable;
import io.duckbatch.core.sql.AtomicTableBuildTasklet;
import io.duckbatch.core.sql.KeysetRangeInsertTasklet;
import io.duckbatch.core.step.RowBatchCounts;
import io.duckbatch.core.step.StepRecipes;
import io.duckbatch.core.step.StepRun;
import io.duckbatch.core.timing.SimplerTimer;
import io.duckbatch.core.write.FlatteningItemWriter;
import io.duckbatch.core.write.VectorInsertItemWriter;
import io.duckbatch.jobs.JobCatalog;

import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBReadableVector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.RowMapper;

/**
 * Job {@code companyScoring}: scores every company against every RTIC code into the target's
 * {@code rtic_scores}, in one pass over the companies. The companies are cut into key
 * ranges, the tasks (partitions of step {@code scoreCompanies}, {@value #PARTITIONS_PER_THREAD}
 * per thread so the last wave is short); a task reads its range once, cuts each name into
 * tokens once and checks them against every code through one keyword index
 * ({@link CompanyScorer}), and writes all codes' rows of a chunk of companies in one
 * transaction. Items are batches of companies, one per DuckDB data chunk read
 * ({@value #BATCH} companies), so Spring Batch's per-item path is taken once per batch;
 * {@link RowBatchCounts} keeps the step's counts in companies read and rows written. Completed tasks are skipped on restart (job repository); an interrupted task
 * resumes after the {@code MAX(company_number)} of {@code rtic_scores} within its range:
 * every row of a company commits with the company's chunk, so every company up to that
 * key is done.
 */
@Configuration(proxyBeanMethods = false)
public class CompanyScoringJobConfiguration {

    public static final String JOB_NAME = JobCatalog.COMPANY_SCORING;

    public static final String TARGET_TABLE = "rtic_scores";

    public static final String TARGET_DDL = scoresDdl(TARGET_TABLE).replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS");

    /** Companies per item: DuckDB's data chunk (vector) size. */
    static final int BATCH = 2048;

    /** The passes' names: of their partitions ({@code companies-0001}, {@code changes-0001}) and readers. */
    private static final String FULL_PASS = "companies";

    private static final String INCREMENTAL_PASS = "changes";

    private static final Logger log = LoggerFactory.getLogger(CompanyScoringJobConfiguration.class);

    /** Tasks per thread: more tasks than threads, so that the last wave is short. */
    public static final int PARTITIONS_PER_THREAD = 2;

    /** The companies a task reads, checked before any task runs: {@code company_number, name, <SIC codes as text>}. */
    private static final KeysetQuery COMPANIES = companies("companies");

    /**
     * What the tasks of a run score and where they write: a full run's, the source's companies
     * into rtic_scores; an incremental run's, the companies its plan copied into the target,
     * into the run's own table of new scores ({@link ScoringRefresh}). The name names the
     * partitions and the reader.
     */
    private record Pass(String name, DuckDbDataSource companiesDatabase, boolean attached, KeysetQuery companies,
            String scores) {
    }

    /** {@code CREATE TABLE <table>} with rtic_scores' columns. */
    static String scoresDdl(String table) {
        return "CREATE TABLE " + table + " (rtic_code VARCHAR NOT NULL, company_number VARCHAR NOT NULL,"
                + " score DOUBLE NOT NULL, matched_keywords VARCHAR[])";
    }

    private static KeysetQuery companies(String table) {
        return KeysetQuery.builder()
            .table(table)
            .keyColumn("company_number")
            .columns("name")
            .computed(SicCodesText.sql("sic_codes"))
            .build();
    }

    /** A row of {@code SELECT company_number, name, sic_codes} through JDBC (stock Spring Batch's reader). */
    public static final RowMapper<Company> COMPANY_ROW = (rs, row) -> new Company(rs.getString(1), rs.getString(2),
            RticCodes.strings(rs.getArray(3)));

    /**
     * Checks, then plans the run ({@link ScoringRefresh}): a full run scores every company
     * into rtic_scores and records what it scored; an incremental one scores what changed and
     * applies it.
     */
    @Bean
    Job companyScoring(StandardJobListeners jobs, Step checkScoringInputs, Step prepareScoringTarget, Step planScoring,
            Step scoreCompanies, Step recordScoredInputs, Step rescoreCompanies, Step applyScoringChanges,
            PartitionTarget partitionTarget, Step mergeScoreShards, Step removeScoreShards) {
        JobExecutionDecider refresh = (jobExecution, stepExecution) -> new FlowExecutionStatus(
                jobExecution.getExecutionContext().getString(ScoringRefresh.MODE_KEY));
        var full = jobs.job(JOB_NAME).start(checkScoringInputs)
            .next(prepareScoringTarget)
            .next(planScoring)
            .next(refresh)
            .on(ScoringRefresh.Mode.INCREMENTAL.name())
            .to(rescoreCompanies)
            .next(applyScoringChanges)
            .from(refresh)
            .on(ScoringRefresh.Mode.FULL.name())
            .to(scoreCompanies);
        // Distributed: the shards into rtic_scores, then removed (a step of its own, so that a run
        // stopped between the two never builds the table again from part of the shards).
        var scored = partitionTarget.isSharded() ? full.next(mergeScoreShards).next(removeScoreShards) : full;
        return scored.next(recordScoredInputs).end().build();
    }

    /** The codes file, recorded with each run and checked before a run is resumed. */
    @Bean
    ScoringCodes scoringCodes(ScoringSettings scoring) {
        return new ScoringCodes(scoring);
    }

    /**
     * Fails on a bad source before anything is written to the target (a codes file was
     * checked before the run started, see {@link ScoringCodes}).
     */
    @Bean
    Step checkScoringInputs(StepRecipes steps, DuckDbDataSource sourceDatabase) {
        return steps.check("checkScoringInputs", (contribution, chunkContext) -> {
            try (Connection connection = sourceDatabase.getConnection()) {
                COMPANIES.verify(connection, sourceDatabase.toString());
                COMPANIES.requireUniqueKeys(connection, sourceDatabase.toString());
                TableCheck.requireColumns(connection, sourceDatabase.toString(), "companies", List.of("sic_codes"));
                if (!ScoringCodes.fromFile(chunkContext.getStepContext().getStepExecution().getJobParameters())) {
                    RticCodes.verify(connection, sourceDatabase.toString());
                }
            }
            return RepeatStatus.FINISHED;
        });
    }

    @Bean
    Step prepareScoringTarget(StepRecipes steps, DuckDbDataSource targetDatabase) {
        return steps.check("prepareScoringTarget", (contribution, chunkContext) -> {
            try (Connection connection = targetDatabase.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute(TARGET_DDL);
            }
            return RepeatStatus.FINISHED;
        });
    }

    /**
     * Why this run scores in full whatever the target recorded, or null. Distributed runs do:
     * the incremental tasks write the change set into the target, which only the manager opens.
     */
    private static String fullRefreshReason(ScoringSettings scoring, StepRecipes steps) {
        if (scoring.isFullRefresh()) {
            return "duckbatch.scoring.full-refresh=true";
        }
        return steps.partitionsRunRemotely() ? "duckbatch.distributed=true: a distributed run scores in full" : null;
    }

    /**
     * Once per job instance (a restart keeps its decision): full or incremental, in the job's
     * ExecutionContext with what the run does, which is also printed.
     */
    @Bean
    Step planScoring(StepRecipes steps, ScoringSettings scoring, DuckDbDataSource sourceDatabase,
            DuckDbDataSource targetDatabase) {
        return steps.tasklet("planScoring", run -> (contribution, chunkContext) -> {
            ScoringRefresh.Plan plan;
            try (var t = run.timer().track("plan")) {
                plan = withSourceAttached(run, sourceDatabase, targetDatabase,
                        (connection, source) -> ScoringRefresh.plan(connection, source, scoringCodes(run, sourceDatabase),
                                scoring.getThreshold(), fullRefreshReason(scoring, steps)));
            }
            ExecutionContext job = run.execution().getJobExecution().getExecutionContext();
            job.putString(ScoringRefresh.MODE_KEY, plan.mode().name());
            job.putString(ScoringRefresh.SUMMARY_KEY, plan.summary());
            log.info(plan.summary());
            return RepeatStatus.FINISHED;
        }).build();
    }

    /** A full run's tasks: key ranges of the source's companies of about equal size, named {@code companies-0001}, ... */
    @Bean
    Step scoreCompanies(StepRecipes steps, DuckDbDataSource sourceDatabase, Step scoreCompanyRange) {
        return steps.partitioned("scoreCompanies", new KeyRangePartitioner(FULL_PASS, sourceDatabase, "companies",
                "company_number"), scoreCompanyRange, PARTITIONS_PER_THREAD);
    }

    /** One key range of the source's companies against every code, into rtic_scores. */
    @Bean
    Step scoreCompanyRange(StepRecipes steps, ScoringSettings scoring, DuckDbDataSource sourceDatabase,
            PartitionTarget partitionTarget) {
        return scoringTask(steps, "scoreCompanyRange", new Pass(FULL_PASS, sourceDatabase, true, COMPANIES, TARGET_TABLE),
                scoring, sourceDatabase, partitionTarget);
    }

    /** A full run's last step: what rtic_scores now holds the scores of ({@link ScoringRefresh#record}). */
    @Bean
    Step recordScoredInputs(StepRecipes steps, ScoringSettings scoring, DuckDbDataSource sourceDatabase,
            DuckDbDataSource targetDatabase) {
        return steps.tasklet("recordScoredInputs", run -> (contribution, chunkContext) -> {
            try (var t = run.timer().track("record")) {
                withSourceAttached(run, sourceDatabase, targetDatabase, (connection, source) -> {
                    ScoringRefresh.record(connection, source, scoringCodes(run, sourceDatabase), scoring.getThreshold());
                    return null;
                });
            }
            return RepeatStatus.FINISHED;
        }).build();
    }

    /**
     * An incremental run's tasks: key ranges of the companies its plan copied into the target,
     * {@code changes-0001}, ...; no task of fewer companies than a chunk, so a month's few
     * changes are one task.
     */
    @Bean
    Step rescoreCompanies(StepRecipes steps, DuckDbDataSource targetDatabase, Step rescoreCompanyRange) {
        return steps.partitioned("rescoreCompanies", new KeyRangePartitioner(INCREMENTAL_PASS, targetDatabase,
                ScoringRefresh.RESCORE, "company_number", steps.defaults().chunkSize()), rescoreCompanyRange,
                PARTITIONS_PER_THREAD);
    }

    /** One key range of the companies to score again against every code, into the run's table of new scores. */
    @Bean
    Step rescoreCompanyRange(StepRecipes steps, ScoringSettings scoring, DuckDbDataSource sourceDatabase,
            DuckDbDataSource targetDatabase) {
        return scoringTask(steps, "rescoreCompanyRange", new Pass(INCREMENTAL_PASS, targetDatabase, false,
                companies(ScoringRefresh.RESCORE), ScoringRefresh.DELTA), scoring, sourceDatabase,
                PartitionTarget.shared(targetDatabase));
    }

    /**
     * An incremental run's last step: the new scores and fingerprints in, in one transaction
     * ({@link ScoringRefresh#apply}). It counts no rows written: they are the tasks' rows,
     * counted once when scored; what it did to rtic_scores is printed and kept in the step's
     * context.
     */
    @Bean
    Step applyScoringChanges(StepRecipes steps, DuckDbDataSource targetDatabase) {
        return steps.tasklet("applyScoringChanges", run -> (contribution, chunkContext) -> {
            ScoringRefresh.Applied applied;
            try (var t = run.timer().track("apply"); Connection connection = targetDatabase.getConnection()) {
                applied = ScoringRefresh.apply(connection);
            }
            if (applied != null) {
                run.executionContext().putString(ScoringRefresh.APPLIED_KEY, applied.summary());
                log.info(applied.summary());
            }
            return RepeatStatus.FINISHED;
        }).build();
    }

    /**
     * A task of {@code pass}: chunk or udf mode, the same ranges and resume, written to the
     * target, or in a distributed run to the task's shard (where its rejects go too).
     */
    private static Step scoringTask(StepRecipes steps, String name, Pass pass, ScoringSettings scoring,
            DuckDbDataSource sourceDatabase, PartitionTarget partitionTarget) {
        Function<StepExecution, DuckDbDataSource> target = execution -> partitionTarget.of(execution, TARGET_DDL);
        if (scoring.getMode() == ScoringSettings.Mode.UDF) {
            // The same step name, ranges and resume, but the scorer runs as a DuckDB function
            // and each part of the range is one INSERT ... SELECT in the engine.
            return steps.tasklet(name, run -> scoringInEngine(run, pass, sourceDatabase, target.apply(run.execution()), scoring))
                .progress(KeysetItemReader.rowsToReadKey(pass.name()))
                .listener(partitionTarget)
                .build();
        }
        // duckbatch.chunk-size counts companies: whole batches of them per chunk.
        return steps.<List<Company>, List<RticScore>>chunk(name, Math.max(1, steps.defaults().chunkSize() / BATCH))
            .reader(run -> companyReader(pass, steps.defaults().pageSize()).keyRange(after(run), upTo(run))
                .resumeFrom(checkpoint(target.apply(run.execution()), pass, run))
                .timer(run.timer())
                .build())
            .transformer(run -> {
                // One scorer per task, with its own scratch space for the company at hand.
                CompanyScorer scorer = loadScorer(run, sourceDatabase, scoring);
                CompanyScorer.Matches matches = scorer.newMatches();
                return companies -> scorer.transform(companies, matches);
            })
            .writer(run -> new FlatteningItemWriter<>(scoringWriter(target.apply(run.execution()), pass.scores(), run.timer())))
            .itemsAreBatches()
            // A batch the scorer fails on is scored again company by company: only the failing companies are rejected.
            .deadLetters(DeadLetters.ofBatchRows(target, Company::companyNumber, RticScore::companyNumber))
            .progress(KeysetItemReader.rowsToReadKey(pass.name()))
            .listener(partitionTarget)
            .build();
    }

    /**
     * Distributed runs: {@code rtic_scores} rebuilt as the target's rows (earlier runs') and
     * every shard's, in key order, swapped in with one transaction together with the shards'
     * rejects. Run again after a failure, it builds the same table: nothing is swapped until
     * all of it is built.
     */
    @Bean
    Step mergeScoreShards(StepRecipes steps, DuckDbDataSource targetDatabase, PartitionTarget partitionTarget) {
        return steps.tasklet("mergeScoreShards", run -> {
            List<Path> shards = shards(partitionTarget, run.execution().getJobExecution());
            List<String> parts = new ArrayList<>(List.of("SELECT * FROM " + TARGET_TABLE));
            AtomicTableBuildTasklet.Builder build = AtomicTableBuildTasklet.builder()
                .database(targetDatabase)
                .table(TARGET_TABLE)
                .rowsCountedByEarlierSteps()
                .timer(run.timer());
            boolean rejects = steps.defaults().skipLimit() > 0;
            if (rejects) {
                RejectsTable.createIn(targetDatabase, JOB_NAME);
            }
            for (int i = 0; i < shards.size(); i++) {
                String alias = "shard_%04d".formatted(i + 1);
                build.attach(alias, shards.get(i));
                parts.add("SELECT * FROM " + alias + "." + TARGET_TABLE);
                if (rejects) {
                    String table = RejectsTable.name(JOB_NAME);
                    build.inSwap("INSERT OR REPLACE INTO " + table + " SELECT * FROM " + alias + "." + table);
                }
            }
            return build.select(String.join(" UNION ALL ", parts) + " ORDER BY company_number, rtic_code").build();
        }).build();
    }

    /** Distributed runs: the shards, once {@code mergeScoreShards} has put them in the target. */
    @Bean
    Step removeScoreShards(StepRecipes steps, PartitionTarget partitionTarget) {
        return steps.tasklet("removeScoreShards", run -> (contribution, chunkContext) -> {
            partitionTarget.removeShards(run.execution().getJobExecution());
            return RepeatStatus.FINISHED;
        }).build();
    }

    private static List<Path> shards(PartitionTarget partitionTarget, JobExecution job) {
        try {
            return partitionTarget.shards(job);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot list the shards of " + job.getJobInstance().getJobName() + ": " + ex.getMessage(), ex);
        }
    }

    private static KeysetRangeInsertTasklet scoringInEngine(StepRun run, Pass pass, DuckDbDataSource sourceDatabase,
            DuckDbDataSource targetDatabase, ScoringSettings scoring) {
        // Functions and attachments are database-wide: names of this step execution's own.
        String function = "duckbatch_rtic_scores_" + run.execution().getId();
        String source = "scoring_source_" + run.execution().getId();
        CompanyScorer scorer = loadScorer(run, sourceDatabase, scoring);
        String companies = "SELECT company_number, %1$s(name, %2$s) AS scored FROM %3$s WHERE %4$s AND %5$s"
            .formatted(function, SicCodesText.sql("sic_codes"), pass.attached() ? source + "." + pass.companies().table()
                    : pass.companies().table(), KeysetRangeInsertTasklet.RANGE, RticScoreFunctions.candidates(scorer, "name"));
        KeysetRangeInsertTasklet.Builder tasklet = KeysetRangeInsertTasklet.builder();
        if (pass.attached()) {
            tasklet.source(source, pass.companiesDatabase());
        }
        return tasklet.name(pass.name())
            .target(targetDatabase)
            .keys(pass.companies().table(), "company_number")
            .keyRange(after(run), upTo(run))
            .rangeSize(scoring.getRangeSize())
            .insert("INSERT INTO " + pass.scores() + " " + RticScoreFunctions.rows(companies, scorer.codes()))
            .checkpoint(checkpoint(targetDatabase, pass, run))
            .prepare(connection -> RticScoreFunctions.register(connection, function, scorer))
            .timer(run.timer())
            .build();
    }

    @FunctionalInterface
    private interface WithSource<T> {

        T run(Connection target, String source) throws SQLException;

    }

    /** {@code work} on a target connection with the source attached read-only, under a name of the step execution's own. */
    private static <T> T withSourceAttached(StepRun run, DuckDbDataSource sourceDatabase, DuckDbDataSource targetDatabase,
            WithSource<T> work) throws SQLException {
        String source = "scoring_source_" + run.execution().getId();
        try (Connection connection = targetDatabase.getConnection()) {
            ReadOnlyAttachment.attach(connection, source, sourceDatabase.path());
            try {
                return work.run(connection, source);
            }
            finally {
                ReadOnlyAttachment.detach(connection, source);
            }
        }
    }

    /** The task's rows of its pass's scores table: its key range, all codes. */
    private static DestinationCheckpoint checkpoint(DuckDbDataSource targetDatabase, Pass pass, StepRun run) {
        return DestinationCheckpoint.builder()
            .destination(targetDatabase)
            .table(pass.scores())
            .keyColumn("company_number")
            .keyRange(after(run), upTo(run))
            .build();
    }

    /** The task's range: companies after this key (null: from the first) ... */
    private static Object after(StepRun run) {
        return KeyRangePartitioner.after(run.executionContext());
    }

    /** ... up to and including this one (null: to the last). */
    private static Object upTo(StepRun run) {
        return KeyRangePartitioner.upTo(run.executionContext());
    }

    private static KeysetItemReader.Builder<List<Company>> companyReader(Pass pass, int pageSize) {
        return KeysetItemReader.<List<Company>>builder()
            .name(pass.name())
            .dataSource(pass.companiesDatabase())
            .query(pass.companies())
            .pageSize(pageSize)
            .columnarRows(CompanyScoringJobConfiguration::companies);
    }

    /** A data chunk of {@code SELECT company_number, name, <SIC codes as text>}, read column by column: one batch. */
    private static void companies(DuckDBDataChunkReader chunk, List<? super List<Company>> items) {
        DuckDBReadableVector numbers = chunk.vector(0);
        DuckDBReadableVector names = chunk.vector(1);
        DuckDBReadableVector sicCodes = chunk.vector(2);
        int rows = (int) chunk.rowCount();
        Company[] batch = new Company[rows];
        for (int row = 0; row < rows; row++) {
            batch[row] = new Company(numbers.getString(row), names.getString(row),
                    SicCodesText.decode(sicCodes.getString(row)));
        }
        items.add(Arrays.asList(batch));
    }

    /** A task's scorer, of the codes its run scores with. */
    private static CompanyScorer loadScorer(StepRun run, DuckDbDataSource sourceDatabase, ScoringSettings scoring) {
        return new CompanyScorer(scoringCodes(run, sourceDatabase), scoring.getThreshold());
    }

    /** The codes the run scores with ({@link ScoringCodes}). */
    private static List<RticCode> scoringCodes(StepRun run, DuckDbDataSource sourceDatabase) {
        try {
            return ScoringCodes.of(run.execution().getJobParameters(), sourceDatabase);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot read the RTIC codes of " + sourceDatabase + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Writes scores to {@code rtic_scores} a vector at a time; the matched keywords cross as
     * one text per row (keywords that can match hold no comma) and become a VARCHAR[] in SQL.
     */
    public static VectorInsertItemWriter<RticScore> scoringWriter(DuckDbDataSource targetDatabase, String table,
            SimplerTimer timer) {
        return VectorInsertItemWriter.<RticScore>builder()
            .dataSource(targetDatabase)
            .table(table)
            .varchar("rtic_code", RticScore::rticCode)
            .varchar("company_number", RticScore::companyNumber)
            .float8("score", RticScore::score)
            .varchar("matched_keywords", RticScoreFunctions.keywordList("matched_keywords"),
                    score -> String.join(",", score.matchedKeywords()))
            .timer(timer)
            .build();
    }

}
