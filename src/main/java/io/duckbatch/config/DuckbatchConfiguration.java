package io.duckbatch.config;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.StorageVersion;
import io.duckbatch.core.job.GracefulShutdown;
import io.duckbatch.core.job.StandardJobListeners;
import io.duckbatch.core.load.JobDatasets;
import io.duckbatch.core.remote.PartitionRequests;
import io.duckbatch.core.remote.PartitionTarget;
import io.duckbatch.core.resume.ExecutionOwnerRegistry;
import io.duckbatch.core.step.StepRecipes;
import io.duckbatch.core.timing.PhaseMeters;
import io.duckbatch.core.timing.ProgressMeters;
import io.duckbatch.core.timing.StepTimers;
import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.jobs.importing.ImportSettings;
import io.duckbatch.jobs.legacy.LegacySettings;
import io.duckbatch.jobs.scoring.ScoringSettings;
import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;

import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * What the jobs share: the DuckDB source and target files they read and write, their
 * listeners, step recipes, timers, meters and task executor; and the job repository
 * ({@link JobRepositoryConfiguration}, which the repository verbs start on its own).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DuckbatchProperties.class)
@Import(JobRepositoryConfiguration.class)
public class DuckbatchConfiguration {

    @Bean(destroyMethod = "close")
    DuckDbDataSource sourceDatabase(DuckbatchProperties properties) {
        return DuckDbDataSource.readOnly(properties.getSource());
    }

    @Bean(destroyMethod = "close")
    DuckDbDataSource targetDatabase(DuckbatchProperties properties) {
        return DuckDbDataSource.readWrite(properties.getTarget(), properties.storageVersionOfNewFiles());
    }

    /** Ctrl-C or SIGTERM stops running executions at a chunk boundary, so the next run resumes them. */
    @Bean
    GracefulShutdown gracefulShutdown(ObjectProvider<JobOperator> jobOperator, DuckbatchProperties properties) {
        return new GracefulShutdown(jobOperator, properties.getShutdownTimeout());
    }

    @Bean
    StandardJobListeners standardJobListeners(JobRepository jobRepository, JobDatasets jobDatasets,
            GracefulShutdown gracefulShutdown, ExecutionOwnerRegistry executionOwners) {
        return new StandardJobListeners(jobRepository, jobDatasets, gracefulShutdown, executionOwners);
    }

    @Bean
    StepTimers stepTimers() {
        return new StepTimers();
    }

    /**
     * Runs the tasks of a partitioned step: {@code duckbatch.concurrency} at a time, or on
     * the calling thread when it is 1. Every task has its own DuckDB connections and
     * appender (see PerStepExecution), so tasks never share a connection.
     */
    @Bean
    TaskExecutor partitionTaskExecutor(DuckbatchProperties properties) {
        if (properties.getConcurrency() == 1) {
            return new SyncTaskExecutor();
        }
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(properties.getConcurrency());
        executor.setMaxPoolSize(properties.getConcurrency());
        executor.setThreadNamePrefix("duckbatch-task-");
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.initialize();
        return executor;
    }

    /**
     * How every step is built: the settings every step shares, its timing, progress and
     * tasks; with {@code duckbatch.distributed=true} partitions are sent to workers.
     */
    @Bean
    StepRecipes stepRecipes(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            StepTimers stepTimers, PhaseMeters phaseMeters, ProgressMeters progressMeters, TaskExecutor partitionTaskExecutor,
            DuckbatchProperties properties, ObjectProvider<PartitionRequests> partitionRequests,
            @Qualifier(JobRepositoryConfiguration.PARTITION_OWNERS) ObjectProvider<ExecutionOwnerRegistry> partitionOwners) {
        StepRecipes recipes = new StepRecipes(jobRepository, transactionManager, stepTimers, phaseMeters, progressMeters,
                partitionTaskExecutor, new StepRecipes.Defaults(properties.getChunkSize(), properties.getPageSize(),
                        properties.getConcurrency(), properties.getProgressInterval(), properties.getSkipLimit()));
        return properties.isDistributed()
                ? recipes.withRemotePartitions(partitionRequests.getObject(), partitionOwners.getObject(),
                        properties.getWorker().getPollInterval(), properties.getWorker().getMaxAttempts())
                : recipes;
    }

    // Scale out (README "Several machines").

    /** The partition requests in the job repository: only a distributed run or a worker asks for them. */
    @Bean
    @Lazy
    PartitionRequests partitionRequests(DataSource dataSource) {
        return PartitionRequests.in(dataSource);
    }

    /** Where a partition writes: the target, or in a distributed run its shard under duckbatch.shard-dir. */
    @Bean
    PartitionTarget partitionTarget(DuckbatchProperties properties, DuckDbDataSource targetDatabase) {
        return properties.isDistributed() ? PartitionTarget.sharded(properties.getShardDir(), properties.storageVersionOfNewFiles(),
                properties.getHeartbeat().getTimeout())
                : PartitionTarget.shared(targetDatabase);
    }

    @Bean
    ScoringSettings scoringSettings(DuckbatchProperties properties) {
        return properties.getScoring();
    }

    @Bean
    LegacySettings legacySettings(DuckbatchProperties properties) {
        return properties.getLegacy();
    }

    @Bean
    ImportSettings importSettings(DuckbatchProperties properties) {
        return properties.getImport();
    }

    /** The storage version of DuckDB files duckbatch creates ({@code duckbatch.storage-version}). */
    @Bean
    StorageVersion storageVersionOfNewFiles(DuckbatchProperties properties) {
        return properties.storageVersionOfNewFiles();
    }

    @Bean
    JobDatasets jobDatasets(DuckbatchProperties properties) {
        return new JobDatasets(properties.getLoadMode());
    }

    @Bean
    PhaseMeters phaseMeters(MeterRegistry meterRegistry) {
        return new PhaseMeters(meterRegistry);
    }

    @Bean
    ProgressMeters progressMeters(MeterRegistry meterRegistry) {
        return new ProgressMeters(meterRegistry);
    }

    /**
     * Spring Batch observes every item read and processed; with a meter registry that costs
     * several microseconds per item, more than reading and scoring it (see
     * docs/decisions.md). Per-item observations are off unless
     * {@code duckbatch.observe-items=true}; job, step and chunk observations stay on.
     */
    @Bean
    ObservationPredicate perItemObservationFilter(DuckbatchProperties properties) {
        return (name, context) -> properties.isObserveItems() || !name.startsWith("spring.batch.item.");
    }

    @Bean
    DemoDataGenerator demoDataGenerator(DuckbatchProperties properties) {
        return new DemoDataGenerator(properties.storageVersionOfNewFiles());
    }

}
