package io.duckbatch.config;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.duckbatch.cli.GracefulShutdown;
import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.load.JobDatasets;
import io.duckbatch.core.resume.ResumingJobLauncher;
import io.duckbatch.core.timing.PhaseMeters;
import io.duckbatch.core.timing.PhaseTimingListener;
import io.duckbatch.core.timing.StepTimers;
import io.duckbatch.demo.DemoDataGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchDataSourceScriptDatabaseInitializer;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Wires the two kinds of database duckbatch uses: the job repository (HikariCP over an H2
 * file in the data dir by default, see docs/decisions.md) and the DuckDB source and target
 * files the jobs read and write.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DuckbatchProperties.class)
public class DuckbatchConfiguration {

    /**
     * The job repository's pool. Declared here (and primary) because the DuckDB databases
     * are DataSources too, which would otherwise switch off Boot's own. Without
     * {@code spring.datasource.url}, an H2 file {@code jobrepository} in the data dir, with
     * {@code WRITE_DELAY=0}: H2's default flushes commits up to 500 ms late, so a killed
     * process could lose executions already reported committed.
     */
    @Bean
    @Primary
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties dataSourceProperties, DuckbatchProperties properties) {
        if (dataSourceProperties.getUrl() == null) {
            dataSourceProperties.setUrl("jdbc:h2:file:" + properties.getDataDir().toAbsolutePath().normalize().resolve("jobrepository")
                    + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        }
        HikariDataSource dataSource = dataSourceProperties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        dataSource.setPoolName("duckbatch-jobrepository");
        return dataSource;
    }

    /** Creates the Spring Batch tables once; later starts find them and skip the script. */
    @Bean
    BatchDataSourceScriptDatabaseInitializer batchDataSourceInitializer(DataSource dataSource,
            BatchJdbcProperties batchProperties) {
        batchProperties.setInitializeSchema(DatabaseInitializationMode.ALWAYS);
        return new BatchDataSourceScriptDatabaseInitializer(dataSource, batchProperties) {
            @Override
            public boolean initializeDatabase() {
                return !hasBatchTables(dataSource, batchProperties.getTablePrefix()) && super.initializeDatabase();
            }
        };
    }

    private static boolean hasBatchTables(DataSource dataSource, String tablePrefix) {
        String table = ((tablePrefix != null) ? tablePrefix : "BATCH_") + "JOB_INSTANCE";
        try (Connection connection = dataSource.getConnection()) {
            for (String name : new String[] { table, table.toLowerCase() }) {
                try (ResultSet tables = connection.getMetaData().getTables(null, null, name, null)) {
                    if (tables.next()) {
                        return true;
                    }
                }
            }
            return false;
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot reach the job repository database: " + ex.getMessage(), ex);
        }
    }

    @Bean(destroyMethod = "close")
    DuckDbDataSource sourceDatabase(DuckbatchProperties properties) {
        return DuckDbDataSource.readOnly(properties.getSource());
    }

    @Bean(destroyMethod = "close")
    DuckDbDataSource targetDatabase(DuckbatchProperties properties) {
        return DuckDbDataSource.readWrite(properties.getTarget());
    }

    @Bean
    StandardJobListeners standardJobListeners(JobRepository jobRepository, JobDatasets jobDatasets,
            GracefulShutdown gracefulShutdown) {
        return new StandardJobListeners(jobRepository, jobDatasets, gracefulShutdown);
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

    @Bean
    JobDatasets jobDatasets() {
        return new JobDatasets();
    }

    @Bean
    PhaseMeters phaseMeters(MeterRegistry meterRegistry) {
        return new PhaseMeters(meterRegistry);
    }

    /** The phase table and Micrometer timers of any step that uses {@link StepTimers}. */
    @Bean
    @StepScope
    PhaseTimingListener phaseTimingListener(StepTimers stepTimers, PhaseMeters phaseMeters) {
        return new PhaseTimingListener(stepTimers, phaseMeters);
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
    ResumingJobLauncher resumingJobLauncher(JobOperator jobOperator, JobRepository jobRepository) {
        return new ResumingJobLauncher(jobOperator, jobRepository);
    }

    @Bean
    DemoDataGenerator demoDataGenerator() {
        return new DemoDataGenerator();
    }

}
