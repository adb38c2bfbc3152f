package io.duckbatch.jobs.scoring;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import io.duckbatch.config.DuckbatchProperties;
import io.duckbatch.config.StandardJobListeners;
import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.TableCheck;
import io.duckbatch.core.process.BatchTransformerItemProcessor;
import io.duckbatch.core.read.KeyRangePartitioner;
import io.duckbatch.core.read.KeysetItemReader;
import io.duckbatch.core.read.KeysetQuery;
import io.duckbatch.core.resume.DestinationCheckpoint;
import io.duckbatch.core.sql.KeysetRangeInsertTasklet;
import io.duckbatch.core.step.PerStepExecution;
import io.duckbatch.core.step.RowBatchCounts;
import io.duckbatch.core.timing.PhaseTimingListener;
import io.duckbatch.core.timing.ProgressListener;
import io.duckbatch.core.timing.ProgressMeters;
import io.duckbatch.core.timing.SimplerTimer;
import io.duckbatch.core.timing.StepTimers;
import io.duckbatch.core.write.FlatteningItemWriter;
import io.duckbatch.core.write.VectorInsertItemWriter;

import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBReadableVector;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.ItemReadListener;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Description;
import org.springframework.core.task.TaskExecutor;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;

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

    public static final String JOB_NAME = "companyScoring";

    public static final String TARGET_TABLE = "rtic_scores";

    public static final String TARGET_DDL = "CREATE TABLE IF NOT EXISTS " + TARGET_TABLE
            + " (rtic_code VARCHAR NOT NULL, company_number VARCHAR NOT NULL, score DOUBLE NOT NULL,"
            + " matched_keywords VARCHAR[])";

    /** Companies per item: DuckDB's data chunk (vector) size. */
    static final int BATCH = 2048;

    /** Tasks per thread: more tasks than threads, so that the last wave is short. */
    public static final int PARTITIONS_PER_THREAD = 2;

    private static final String READER_NAME = "companies";

    /** Keeps the chunk step's counts in companies read and rows written, items being batches. */
    private static final RowBatchCounts ROW_COUNTS = new RowBatchCounts();

    /** A row of {@code SELECT company_number, name, sic_codes} through JDBC (stock Spring Batch's reader). */
    public static final RowMapper<Company> COMPANY_ROW = (rs, row) -> new Company(rs.getString(1), rs.getString(2),
            RticCodes.strings(rs.getArray(3)));

    @Bean
    @Description("Scores every company against every RTIC code in one pass (keyset reader, batch transformer, Appender) into rtic_scores")
    Job companyScoring(StandardJobListeners jobs, Step checkScoringInputs,
            Step prepareScoringTarget, Step scoreCompanies) {
        return jobs.job(JOB_NAME).start(checkScoringInputs)
            .next(prepareScoringTarget)
            .next(scoreCompanies)
            .build();
    }

    /** Fails on a bad source before anything is written to the target. */
    @Bean
    Step checkScoringInputs(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DuckDbDataSource sourceDatabase, DuckbatchProperties properties) {
        return new StepBuilder("checkScoringInputs", jobRepository).tasklet((contribution, chunkContext) -> {
            try (Connection connection = sourceDatabase.getConnection()) {
                KeysetQuery companies = companyReader(sourceDatabase, properties).build().getQuery();
                companies.verify(connection, sourceDatabase.toString());
                companies.requireUniqueKeys(connection, sourceDatabase.toString());
                TableCheck.requireColumns(connection, sourceDatabase.toString(), "companies", List.of("sic_codes"));
                RticCodes.verify(connection, sourceDatabase.toString());
            }
            return RepeatStatus.FINISHED;
        }, transactionManager).allowStartIfComplete(true).build();
    }

    @Bean
    Step prepareScoringTarget(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DuckDbDataSource targetDatabase) {
        return new StepBuilder("prepareScoringTarget", jobRepository).tasklet((contribution, chunkContext) -> {
            try (Connection connection = targetDatabase.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute(TARGET_DDL);
            }
            return RepeatStatus.FINISHED;
        }, transactionManager).allowStartIfComplete(true).build();
    }

    /** The companies cut into key ranges of about equal size, named {@code companies-0001}, ... */
    @Bean
    Partitioner companyRangePartitioner(DuckDbDataSource sourceDatabase) {
        return new KeyRangePartitioner(READER_NAME, sourceDatabase, "companies", "company_number");
    }

    /** The tasks, {@code duckbatch.concurrency} at a time; on restart only unfinished ones run. */
    @Bean
    Step scoreCompanies(JobRepository jobRepository, Partitioner companyRangePartitioner, Step scoreCompanyRange,
            TaskExecutor partitionTaskExecutor, DuckbatchProperties properties) {
        return new StepBuilder("scoreCompanies", jobRepository).partitioner(scoreCompanyRange.getName(), companyRangePartitioner)
            .step(scoreCompanyRange)
            .taskExecutor(partitionTaskExecutor)
            .gridSize(properties.getConcurrency() * PARTITIONS_PER_THREAD)
            .build();
    }

    /**
     * One key range of companies against every code. Reader, processor and writer are built
     * per step execution (per task and thread) by {@link PerStepExecution}, not as
     * step-scoped proxies, which would cost a bean lookup and a reflective call per item.
     */
    @Bean
    Step scoreCompanyRange(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DuckbatchProperties properties, DuckDbDataSource sourceDatabase, DuckDbDataSource targetDatabase,
            StepTimers stepTimers, PhaseTimingListener phaseTimingListener, ProgressListener scoringProgress) {
        if (properties.getScoring().getMode() == DuckbatchProperties.Scoring.Mode.UDF) {
            return scoreCompanyRangeInEngine(jobRepository, transactionManager, properties, sourceDatabase, targetDatabase,
                    stepTimers, phaseTimingListener, scoringProgress);
        }
        // duckbatch.chunk-size counts companies: whole batches of them per chunk.
        int batchesPerChunk = Math.max(1, properties.getChunkSize() / BATCH);
        return new StepBuilder("scoreCompanyRange", jobRepository).<List<Company>, List<RticScore>>chunk(batchesPerChunk)
            .transactionManager(transactionManager)
            .reader(PerStepExecution.reader(step -> scoringReader(step, sourceDatabase, targetDatabase, properties,
                    stepTimers.forStep(step))))
            .processor(PerStepExecution.processor(
                    step -> scoringProcessor(sourceDatabase, properties, stepTimers.forStep(step))))
            .writer(PerStepExecution.writer(
                    step -> new FlatteningItemWriter<>(scoringWriter(targetDatabase, stepTimers.forStep(step)))))
            .listener((ItemReadListener<Collection<?>>) ROW_COUNTS)
            .listener((ItemWriteListener<Collection<?>>) ROW_COUNTS)
            .listener(phaseTimingListener)
            .listener(scoringProgress)
            .build();
    }

    /**
     * udf mode: the same step name, ranges and resume, but the {@link CompanyScorer} runs as a
     * DuckDB function and each part of the range is one INSERT ... SELECT in the engine.
     */
    private static Step scoreCompanyRangeInEngine(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DuckbatchProperties properties, DuckDbDataSource sourceDatabase, DuckDbDataSource targetDatabase,
            StepTimers stepTimers, PhaseTimingListener phaseTimingListener, ProgressListener scoringProgress) {
        PerStepExecution.TaskletHolder tasklet = PerStepExecution.tasklet(step -> scoringInEngine(step, sourceDatabase,
                targetDatabase, properties, stepTimers.forStep(step)));
        return new StepBuilder("scoreCompanyRange", jobRepository).tasklet(tasklet, transactionManager)
            .listener((StepExecutionListener) tasklet)
            .stream(tasklet)
            // Each tasklet call (one range) is a chunk to these listeners.
            .listener((StepExecutionListener) phaseTimingListener)
            .listener((ChunkListener<?, ?>) phaseTimingListener)
            .listener((StepExecutionListener) scoringProgress)
            .listener((ChunkListener<?, ?>) scoringProgress)
            .build();
    }

    private static KeysetRangeInsertTasklet scoringInEngine(StepExecution step, DuckDbDataSource sourceDatabase,
            DuckDbDataSource targetDatabase, DuckbatchProperties properties, SimplerTimer timer) {
        // Functions and attachments are database-wide: names of this step execution's own.
        String function = "duckbatch_rtic_scores_" + step.getId();
        String source = "scoring_source_" + step.getId();
        CompanyScorer scorer = loadScorer(sourceDatabase, properties);
        ExecutionContext range = step.getExecutionContext();
        String companies = "SELECT company_number, %1$s(name, %2$s) AS scored FROM %3$s.companies WHERE %4$s AND %5$s"
            .formatted(function, SicCodesText.sql("sic_codes"), source, KeysetRangeInsertTasklet.RANGE,
                    RticScoreFunctions.candidates(scorer, "name"));
        return KeysetRangeInsertTasklet.builder()
            .name(READER_NAME)
            .target(targetDatabase)
            .source(source, properties.getSource())
            .keys("companies", "company_number")
            .keyRange(KeyRangePartitioner.after(range), KeyRangePartitioner.upTo(range))
            .rangeSize(properties.getScoring().getRangeSize())
            .insert("INSERT INTO " + TARGET_TABLE + " " + RticScoreFunctions.rows(companies, source + ".rtic_codes"))
            .checkpoint(checkpoint(targetDatabase, range))
            .prepare(connection -> RticScoreFunctions.register(connection, function, scorer))
            .timer(timer)
            .build();
    }

    /** The task's rows of {@code rtic_scores}: its key range, all codes. */
    private static DestinationCheckpoint checkpoint(DuckDbDataSource targetDatabase, ExecutionContext range) {
        return DestinationCheckpoint.builder()
            .destination(targetDatabase)
            .table(TARGET_TABLE)
            .keyColumn("company_number")
            .keyRange(KeyRangePartitioner.after(range), KeyRangePartitioner.upTo(range))
            .build();
    }

    /** The task's key range of companies, page by page, read column by column in batches. */
    private static KeysetItemReader<List<Company>> scoringReader(StepExecution step, DuckDbDataSource sourceDatabase,
            DuckDbDataSource targetDatabase, DuckbatchProperties properties, SimplerTimer timer) {
        ExecutionContext range = step.getExecutionContext();
        return companyReader(sourceDatabase, properties)
            .keyRange(KeyRangePartitioner.after(range), KeyRangePartitioner.upTo(range))
            .resumeFrom(checkpoint(targetDatabase, range))
            .timer(timer)
            .build();
    }

    private static KeysetItemReader.Builder<List<Company>> companyReader(DuckDbDataSource sourceDatabase,
            DuckbatchProperties properties) {
        return KeysetItemReader.<List<Company>>builder()
            .name(READER_NAME)
            .dataSource(sourceDatabase)
            .table("companies")
            .keyColumn("company_number")
            .columns("name")
            .computed(SicCodesText.sql("sic_codes"))
            .pageSize(properties.getPageSize())
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

    /** One scorer per task, with its own scratch space for the company at hand. */
    private static BatchTransformerItemProcessor<List<Company>, List<RticScore>> scoringProcessor(
            DuckDbDataSource sourceDatabase, DuckbatchProperties properties, SimplerTimer timer) {
        return BatchTransformerItemProcessor.<List<Company>, List<RticScore>>builder()
            .transformer(stepExecution -> {
                CompanyScorer scorer = loadScorer(sourceDatabase, properties);
                CompanyScorer.Matches matches = scorer.newMatches();
                return companies -> scorer.transform(companies, matches);
            })
            .timer(timer)
            .build();
    }

    private static CompanyScorer loadScorer(DuckDbDataSource sourceDatabase, DuckbatchProperties properties) {
        try {
            return new CompanyScorer(RticCodes.all(sourceDatabase), properties.getScoring().getThreshold());
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

    @Bean
    @StepScope
    ProgressListener scoringProgress(DuckbatchProperties properties, ProgressMeters progressMeters) {
        return new ProgressListener(KeysetItemReader.rowsToReadKey(READER_NAME), properties.getProgressInterval(),
                progressMeters);
    }

}
