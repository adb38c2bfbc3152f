package io.duckbatch.jobs.scoring;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.TableCheck;
import io.duckbatch.core.job.StandardJobListeners;
import io.duckbatch.core.keyset.KeyRangePartitioner;
import io.duckbatch.core.keyset.KeysetQuery;
import io.duckbatch.core.read.KeysetItemReader;
import io.duckbatch.core.resume.DestinationCheckpoint;
import io.duckbatch.core.skip.DeadLetters;
import io.duckbatch.core.sql.KeysetRangeInsertTasklet;
import io.duckbatch.core.step.RowBatchCounts;
import io.duckbatch.core.step.StepRecipes;
import io.duckbatch.core.step.StepRun;
import io.duckbatch.core.timing.SimplerTimer;
import io.duckbatch.core.write.FlatteningItemWriter;
import io.duckbatch.core.write.VectorInsertItemWriter;
import io.duckbatch.jobs.JobCatalog;
import io.duckbatch.jobs.scoring.ScoringSettings;

import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBReadableVector;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.Step;
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

    public static final String TARGET_DDL = "CREATE TABLE IF NOT EXISTS " + TARGET_TABLE
            + " (rtic_code VARCHAR NOT NULL, company_number VARCHAR NOT NULL, score DOUBLE NOT NULL,"
            + " matched_keywords VARCHAR[])";

    /** Companies per item: DuckDB's data chunk (vector) size. */
    static final int BATCH = 2048;

    /** Tasks per thread: more tasks than threads, so that the last wave is short. */
    public static final int PARTITIONS_PER_THREAD = 2;

    private static final String READER_NAME = "companies";

    /** The companies a task reads, checked before any task runs: {@code company_number, name, <SIC codes as text>}. */
    private static final KeysetQuery COMPANIES = KeysetQuery.builder()
        .table("companies")
        .keyColumn("company_number")
        .columns("name")
        .computed(SicCodesText.sql("sic_codes"))
        .build();

    /** A row of {@code SELECT company_number, name, sic_codes} through JDBC (stock Spring Batch's reader). */
    public static final RowMapper<Company> COMPANY_ROW = (rs, row) -> new Company(rs.getString(1), rs.getString(2),
            RticCodes.strings(rs.getArray(3)));

    @Bean
    Job companyScoring(StandardJobListeners jobs, Step checkScoringInputs, Step prepareScoringTarget, Step scoreCompanies) {
        return jobs.job(JOB_NAME).start(checkScoringInputs)
            .next(prepareScoringTarget)
            .next(scoreCompanies)
            .build();
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

    /** The tasks: key ranges of companies of about equal size, named {@code companies-0001}, ... */
    @Bean
    Step scoreCompanies(StepRecipes steps, DuckDbDataSource sourceDatabase, Step scoreCompanyRange) {
        return steps.partitioned("scoreCompanies", new KeyRangePartitioner(READER_NAME, sourceDatabase, "companies",
                "company_number"), scoreCompanyRange, PARTITIONS_PER_THREAD);
    }

    /** One key range of companies against every code. */
    @Bean
    Step scoreCompanyRange(StepRecipes steps, ScoringSettings scoring, DuckDbDataSource sourceDatabase,
            DuckDbDataSource targetDatabase) {
        if (scoring.getMode() == ScoringSettings.Mode.UDF) {
            // The same step name, ranges and resume, but the scorer runs as a DuckDB function
            // and each part of the range is one INSERT ... SELECT in the engine.
            return steps.tasklet("scoreCompanyRange", run -> scoringInEngine(run, sourceDatabase, targetDatabase, scoring))
                .progress(KeysetItemReader.rowsToReadKey(READER_NAME))
                .build();
        }
        // duckbatch.chunk-size counts companies: whole batches of them per chunk.
        return steps.<List<Company>, List<RticScore>>chunk("scoreCompanyRange", Math.max(1, steps.defaults().chunkSize() / BATCH))
            .reader(run -> companyReader(sourceDatabase, steps.defaults().pageSize()).keyRange(after(run), upTo(run))
                .resumeFrom(checkpoint(targetDatabase, run))
                .timer(run.timer())
                .build())
            .transformer(run -> {
                // One scorer per task, with its own scratch space for the company at hand.
                CompanyScorer scorer = loadScorer(run, sourceDatabase, scoring);
                CompanyScorer.Matches matches = scorer.newMatches();
                return companies -> scorer.transform(companies, matches);
            })
            .writer(run -> new FlatteningItemWriter<>(scoringWriter(targetDatabase, run.timer())))
            .itemsAreBatches()
            // A batch the scorer fails on is scored again company by company: only the failing companies are rejected.
            .deadLetters(DeadLetters.ofBatchRows(targetDatabase, Company::companyNumber, RticScore::companyNumber))
            .progress(KeysetItemReader.rowsToReadKey(READER_NAME))
            .build();
    }

    private static KeysetRangeInsertTasklet scoringInEngine(StepRun run, DuckDbDataSource sourceDatabase,
            DuckDbDataSource targetDatabase, ScoringSettings scoring) {
        // Functions and attachments are database-wide: names of this step execution's own.
        String function = "duckbatch_rtic_scores_" + run.execution().getId();
        String source = "scoring_source_" + run.execution().getId();
        CompanyScorer scorer = loadScorer(run, sourceDatabase, scoring);
        String companies = "SELECT company_number, %1$s(name, %2$s) AS scored FROM %3$s.companies WHERE %4$s AND %5$s"
            .formatted(function, SicCodesText.sql("sic_codes"), source, KeysetRangeInsertTasklet.RANGE,
                    RticScoreFunctions.candidates(scorer, "name"));
        return KeysetRangeInsertTasklet.builder()
            .name(READER_NAME)
            .target(targetDatabase)
            .source(source, sourceDatabase)
            .keys("companies", "company_number")
            .keyRange(after(run), upTo(run))
            .rangeSize(scoring.getRangeSize())
            .insert("INSERT INTO " + TARGET_TABLE + " " + RticScoreFunctions.rows(companies, scorer.codes()))
            .checkpoint(checkpoint(targetDatabase, run))
            .prepare(connection -> RticScoreFunctions.register(connection, function, scorer))
            .timer(run.timer())
            .build();
    }

    /** The task's rows of {@code rtic_scores}: its key range, all codes. */
    private static DestinationCheckpoint checkpoint(DuckDbDataSource targetDatabase, StepRun run) {
        return DestinationCheckpoint.builder()
            .destination(targetDatabase)
            .table(TARGET_TABLE)
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

    private static KeysetItemReader.Builder<List<Company>> companyReader(DuckDbDataSource sourceDatabase, int pageSize) {
        return KeysetItemReader.<List<Company>>builder()
            .name(READER_NAME)
            .dataSource(sourceDatabase)
            .query(COMPANIES)
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

    /** A task's scorer, of the codes its run scores with ({@link ScoringCodes}). */
    private static CompanyScorer loadScorer(StepRun run, DuckDbDataSource sourceDatabase, ScoringSettings scoring) {
        try {
            return new CompanyScorer(ScoringCodes.of(run.execution().getJobParameters(), sourceDatabase),
                    scoring.getThreshold());
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot read the RTIC codes of " + sourceDatabase + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Writes scores to {@code rtic_scores} a vector at a time; the matched keywords cross as
     * one text per row (keywords that can match hold no comma) and become a VARCHAR[] in SQL.
     */
    public static VectorInsertItemWriter<RticScore> scoringWriter(DuckDbDataSource targetDatabase, SimplerTimer timer) {
        return VectorInsertItemWriter.<RticScore>builder()
            .dataSource(targetDatabase)
            .table(TARGET_TABLE)
            .varchar("rtic_code", RticScore::rticCode)
            .varchar("company_number", RticScore::companyNumber)
            .float8("score", RticScore::score)
            .varchar("matched_keywords", RticScoreFunctions.keywordList("matched_keywords"),
                    score -> String.join(",", score.matchedKeywords()))
            .timer(timer)
            .build();
    }

}
