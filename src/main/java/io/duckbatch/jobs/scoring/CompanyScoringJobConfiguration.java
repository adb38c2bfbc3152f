package io.duckbatch.jobs.scoring;

import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import io.duckbatch.config.DuckbatchProperties;
import io.duckbatch.config.StandardJobListeners;
import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.TableCheck;
import io.duckbatch.core.load.JobDatasets;
import io.duckbatch.core.load.LoadDecider;
import io.duckbatch.core.load.LoadedRows;
import io.duckbatch.core.process.BatchTransformerItemProcessor;
import io.duckbatch.core.read.KeysetItemReader;
import io.duckbatch.core.read.KeysetQuery;
import io.duckbatch.core.resume.DestinationCheckpoint;
import io.duckbatch.core.sql.KeysetRangeInsertTasklet;
import io.duckbatch.core.step.PerStepExecution;
import io.duckbatch.core.timing.PhaseTimingListener;
import io.duckbatch.core.timing.ProgressListener;
import io.duckbatch.core.timing.ProgressMeters;
import io.duckbatch.core.timing.SimplerTimer;
import io.duckbatch.core.timing.StepTimers;
import io.duckbatch.core.write.AppenderItemWriter;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.listener.ChunkListener;
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
 * Job {@code companyScoring}: every RTIC code is a task (a partition of step
 * {@code scoreCompanies}); each task reads all companies through the keyset reader, scores
 * them in a {@link RticScorer} and appends those passing the threshold to the target's
 * {@code rtic_scores}. Completed tasks are skipped on restart (job repository); an
 * interrupted task resumes after its own {@code MAX(company_number)} in {@code rtic_scores}.
 */
@Configuration(proxyBeanMethods = false)
public class CompanyScoringJobConfiguration {

    public static final String JOB_NAME = "companyScoring";

    public static final String TARGET_TABLE = "rtic_scores";

    public static final String TARGET_DDL = "CREATE TABLE IF NOT EXISTS " + TARGET_TABLE
            + " (rtic_code VARCHAR NOT NULL, company_number VARCHAR NOT NULL, score DOUBLE NOT NULL,"
            + " matched_keywords VARCHAR[])";

    public static final String RTIC_CODE = "rticCode";

    private static final String READER_NAME = "companies";

    /** Every task walks all companies by company_number: their ranges are found once per job. */
    private static final String COMPANY_RANGES = "companies by company_number";

    /** A row of {@code SELECT company_number, name, sic_codes}. */
    public static final RowMapper<Company> COMPANY_ROW = (rs, row) -> new Company(rs.getString(1), rs.getString(2),
            RticCodes.strings(rs.getArray(3)));

    @Bean
    @Description("Scores every company against every RTIC code (keyset reader, batch transformer, Appender) into rtic_scores")
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
                companyReader(sourceDatabase, properties).build().getQuery().verify(connection, sourceDatabase.toString());
                TableCheck.requireColumns(connection, sourceDatabase.toString(), RticCodes.TABLE, RticCodes.COLUMNS);
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

    /** One partition per RTIC code, named by the code. */
    @Bean
    Partitioner rticPartitioner(DuckDbDataSource sourceDatabase) {
        return gridSize -> {
            try {
                Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
                for (RticCode code : RticCodes.all(sourceDatabase)) {
                    ExecutionContext context = new ExecutionContext();
                    context.putString(RTIC_CODE, code.code());
                    partitions.put(code.code(), context);
                }
                return partitions;
            }
            catch (java.sql.SQLException ex) {
                throw new IllegalStateException("Cannot read RTIC codes from " + sourceDatabase + ": " + ex.getMessage(), ex);
            }
        };
    }

    /** The RTIC tasks, {@code duckbatch.concurrency} at a time; on restart only unfinished ones run. */
    @Bean
    Step scoreCompanies(JobRepository jobRepository, Partitioner rticPartitioner, Step scoreRticCode,
            TaskExecutor partitionTaskExecutor, DuckbatchProperties properties) {
        return new StepBuilder("scoreCompanies", jobRepository).partitioner(scoreRticCode.getName(), rticPartitioner)
            .step(scoreRticCode)
            .taskExecutor(partitionTaskExecutor)
            .gridSize(properties.getConcurrency())
            .build();
    }

    /**
     * One RTIC code. Reader, processor and writer are built per step execution (per task and
     * thread) by {@link PerStepExecution}, not as step-scoped proxies, which would cost a
     * bean lookup and a reflective call per item.
     */
    @Bean
    Step scoreRticCode(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DuckbatchProperties properties, DuckDbDataSource sourceDatabase, DuckDbDataSource targetDatabase,
            StepTimers stepTimers, JobDatasets jobDatasets, PhaseTimingListener phaseTimingListener,
            ProgressListener scoringProgress) {
        if (properties.getScoring().getMode() == DuckbatchProperties.Scoring.Mode.UDF) {
            return scoreRticCodeInEngine(jobRepository, transactionManager, properties, sourceDatabase, targetDatabase,
                    stepTimers, jobDatasets, phaseTimingListener, scoringProgress);
        }
        return new StepBuilder("scoreRticCode", jobRepository).<Company, RticScore>chunk(properties.getChunkSize())
            .transactionManager(transactionManager)
            .reader(PerStepExecution.reader(step -> scoringReader(step, sourceDatabase, targetDatabase, properties,
                    jobDatasets, stepTimers.forStep(step))))
            .processor(PerStepExecution.processor(
                    step -> scoringProcessor(step, sourceDatabase, properties, stepTimers.forStep(step))))
            .writer(PerStepExecution.writer(step -> scoringWriter(targetDatabase, stepTimers.forStep(step))))
            .listener(phaseTimingListener)
            .listener(scoringProgress)
            .build();
    }

    /**
     * udf mode: the same step name and the same resume after the destination's
     * MAX(company_number), but each task registers its {@link RticScorer} as DuckDB functions
     * and scores one keyset range per INSERT ... SELECT in the engine.
     */
    private static Step scoreRticCodeInEngine(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DuckbatchProperties properties, DuckDbDataSource sourceDatabase, DuckDbDataSource targetDatabase,
            StepTimers stepTimers, JobDatasets jobDatasets, PhaseTimingListener phaseTimingListener,
            ProgressListener scoringProgress) {
        PerStepExecution.TaskletHolder tasklet = PerStepExecution.tasklet(step -> scoringInEngine(step, sourceDatabase,
                targetDatabase, properties, jobDatasets, stepTimers.forStep(step)));
        return new StepBuilder("scoreRticCode", jobRepository).tasklet(tasklet, transactionManager)
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
            DuckDbDataSource targetDatabase, DuckbatchProperties properties, JobDatasets jobDatasets, SimplerTimer timer) {
        String code = rticCode(step);
        // Functions and attachments are database-wide: names of this step execution's own.
        String function = "duckbatch_rtic_score_" + step.getId();
        String source = "scoring_source_" + step.getId();
        RticScorer scorer = RticScorer.load(sourceDatabase, code, properties.getScoring().getThreshold());
        return KeysetRangeInsertTasklet.builder()
            .name(READER_NAME)
            .target(targetDatabase)
            .source(source, properties.getSource())
            .keys("companies", "company_number")
            .rangeSize(properties.getScoring().getRangeSize())
            .shareRanges(jobDatasets, step.getJobExecution(), COMPANY_RANGES)
            .insert("""
                    INSERT INTO %1$s SELECT ?, company_number, score, %2$s FROM (
                      SELECT company_number, score, %3$s_keywords(name) AS keywords FROM (
                        SELECT company_number, name, %3$s(name, %4$s) AS score
                        FROM %5$s.companies, (SELECT sic_prefixes FROM %5$s.rtic_codes WHERE rtic_code = ?) code
                        WHERE %6$s AND %7$s)
                      WHERE score IS NOT NULL)
                    """.formatted(TARGET_TABLE, RticScoreFunctions.keywordList("keywords"), function,
                    ScoringSql.sicPrefixMatched("sic_codes", "code.sic_prefixes"), source,
                    RticScoreFunctions.candidates(scorer, "name"), KeysetRangeInsertTasklet.RANGE), code, code)
            .checkpoint(checkpoint(targetDatabase, code))
            .prepare(connection -> RticScoreFunctions.register(connection, function, scorer))
            .timer(timer)
            .build();
    }

    private static DestinationCheckpoint checkpoint(DuckDbDataSource targetDatabase, String code) {
        return DestinationCheckpoint.builder()
            .destination(targetDatabase)
            .table(TARGET_TABLE)
            .keyColumn("company_number")
            .task("rtic_code", code)
            .build();
    }

    /**
     * Every task reads all companies: rule 1 decides once per job whether they fit in memory
     * (load once, every task pages through the same copy) or are read from DuckDB page by page.
     */
    private static KeysetItemReader<Company> scoringReader(StepExecution step, DuckDbDataSource sourceDatabase,
            DuckDbDataSource targetDatabase, DuckbatchProperties properties, JobDatasets datasets, SimplerTimer timer) {
        DestinationCheckpoint checkpoint = checkpoint(targetDatabase, rticCode(step));
        KeysetItemReader.Builder<Company> reader = companyReader(sourceDatabase, properties);
        KeysetQuery query = reader.build().getQuery();
        LoadDecider decider = LoadDecider.builder()
            .dataSource(sourceDatabase)
            .query(query)
            .mode(properties.getLoadMode())
            .build();
        LoadedRows<Company> companies = datasets.loadOnceIfItFits(step.getJobExecution(), READER_NAME, decider, () -> {
            try (var t = timer.track("load")) {
                return LoadedRows.load(sourceDatabase, query, COMPANY_ROW);
            }
        });
        return reader.resumeFrom(checkpoint)
            .preloaded(companies)
            .shareRanges(datasets, step.getJobExecution(), COMPANY_RANGES)
            .timer(timer)
            .build();
    }

    private static KeysetItemReader.Builder<Company> companyReader(DuckDbDataSource sourceDatabase,
            DuckbatchProperties properties) {
        return KeysetItemReader.<Company>builder()
            .name(READER_NAME)
            .dataSource(sourceDatabase)
            .table("companies")
            .keyColumn("company_number")
            .columns("name", "sic_codes")
            .pageSize(properties.getPageSize())
            .rowMapper(COMPANY_ROW);
    }

    private static BatchTransformerItemProcessor<Company, RticScore> scoringProcessor(StepExecution step,
            DuckDbDataSource sourceDatabase, DuckbatchProperties properties, SimplerTimer timer) {
        String code = rticCode(step);
        return BatchTransformerItemProcessor.<Company, RticScore>builder()
            .transformer(stepExecution -> RticScorer.load(sourceDatabase, code, properties.getScoring().getThreshold()))
            .timer(timer)
            .build();
    }

    /** Appends scores to {@code rtic_scores} through DuckDB's Appender. */
    public static AppenderItemWriter<RticScore> scoringWriter(DuckDbDataSource targetDatabase, SimplerTimer timer) {
        return AppenderItemWriter.<RticScore>builder()
            .dataSource(targetDatabase)
            .table(TARGET_TABLE)
            .binder((score, row) -> row.append(score.rticCode())
                .append(score.companyNumber())
                .append(score.score())
                .append(score.matchedKeywords()))
            .timer(timer)
            .build();
    }

    private static String rticCode(StepExecution step) {
        return step.getExecutionContext().getString(RTIC_CODE);
    }

    @Bean
    @StepScope
    ProgressListener scoringProgress(DuckbatchProperties properties, ProgressMeters progressMeters) {
        return new ProgressListener(KeysetItemReader.rowsToReadKey(READER_NAME), properties.getProgressInterval(),
                progressMeters);
    }

}
