package io.duckbatch.config;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.duckbatch.core.resume.ExecutionOwner;
import io.duckbatch.core.resume.ExecutionOwnerRegistry;
import io.duckbatch.core.resume.RecordedInputs;
import io.duckbatch.core.resume.RepositoryTables;
import io.duckbatch.core.resume.ResumingJobLauncher;

import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchDataSourceScriptDatabaseInitializer;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Primary;

/**
 * The job repository: HikariCP over an H2 file in the data dir by default (see
 * docs/decisions.md), or the database {@code spring.datasource.*} names; its Spring Batch
 * tables, the execution owners and the launcher that resumes interrupted instances. All that
 * the repository verbs ({@code executions}, {@code stop}, {@code abandon}, {@code recover})
 * use: they start it without the jobs, DuckDB or the actuator ({@code JobRepositoryApplication}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DuckbatchProperties.class)
public class JobRepositoryConfiguration {

    /** The bean name of the partitions' owners (the other ExecutionOwnerRegistry, of job executions, is primary). */
    public static final String PARTITION_OWNERS = "partitionOwners";

    /** org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

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
        if (dataSourceProperties.getUrl().startsWith("jdbc:postgresql:")) {
            // Names this process's sessions: a manager ends those of a worker it gave up on.
            dataSource.addDataSourceProperty("ApplicationName", ExecutionOwner.localSessionName());
        }
        return dataSource;
    }

    /** Creates the Spring Batch tables once; later starts find them and skip the script. */
    @Bean
    BatchDataSourceScriptDatabaseInitializer batchDataSourceInitializer(DataSource dataSource,
            BatchJdbcProperties batchProperties) {
        // Asked first: it is the first connection, and its failure names the database.
        boolean tablesExist = hasBatchTables(dataSource, tablePrefix(batchProperties));
        batchProperties.setInitializeSchema(DatabaseInitializationMode.ALWAYS);
        return new BatchDataSourceScriptDatabaseInitializer(dataSource, batchProperties) {
            @Override
            public boolean initializeDatabase() {
                // A manager and its workers may start together on a new PostgreSQL repository: one runs the script.
                boolean created = !tablesExist && RepositoryTables.oneAtATime(dataSource,
                        () -> !hasBatchTables(dataSource, tablePrefix(batchProperties)) && super.initializeDatabase());
                uncacheH2Sequences(dataSource, tablePrefix(batchProperties));
                return created;
            }
        };
    }

    /**
     * H2 hands out sequence values 32 at a time and loses the rest when its process is
     * killed, so execution ids went 1, 33, 66 after kill -9: one at a time, ids have no gaps
     * from crashes. Repositories created before are altered too (each start, idempotent).
     */
    private static void uncacheH2Sequences(DataSource dataSource, String tablePrefix) {
        try (Connection connection = dataSource.getConnection()) {
            if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
                return;
            }
            try (Statement statement = connection.createStatement()) {
                for (String sequence : new String[] { "STEP_EXECUTION_SEQ", "JOB_EXECUTION_SEQ", "JOB_INSTANCE_SEQ" }) {
                    statement.execute("ALTER SEQUENCE " + tablePrefix + sequence + " NO CACHE");
                }
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot set the job repository's sequences to hand out one id at a time ("
                    + jdbcUrl(dataSource) + "): " + ex.getMessage(), ex);
        }
    }

    private static String tablePrefix(BatchJdbcProperties batchProperties) {
        return (batchProperties.getTablePrefix() != null) ? batchProperties.getTablePrefix() : "BATCH_";
    }

    /** Looks in the connection's own schema only: other schemas of a shared PostgreSQL may hold other repositories. */
    private static boolean hasBatchTables(DataSource dataSource, String tablePrefix) {
        String table = tablePrefix + "JOB_INSTANCE";
        try (Connection connection = dataSource.getConnection()) {
            for (String name : new String[] { table, table.toLowerCase() }) {
                try (ResultSet tables = connection.getMetaData().getTables(connection.getCatalog(), connection.getSchema(), name, null)) {
                    if (tables.next()) {
                        return true;
                    }
                }
            }
            return false;
        }
        catch (SQLException ex) {
            // No cause attached: the start failure is printed as its innermost message, and
            // this one names the database as well as the driver's reason.
            String reason = lockedByAnotherProcess(ex) ? "another duckbatch process is using this job repository, and H2"
                    + " locks its file; wait for it to end or stop it with Ctrl-C or kill <pid>" : ex.getMessage();
            throw new IllegalStateException("Cannot reach the job repository " + jdbcUrl(dataSource) + ": " + reason);
        }
    }

    /** H2's "database may be already in use": its file is locked by another process. */
    private static boolean lockedByAnotherProcess(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                return true;
            }
        }
        return false;
    }

    /** The repository's JDBC URL without its query string, which may hold a password. */
    private static String jdbcUrl(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            String url = hikari.getJdbcUrl();
            return (url.indexOf('?') >= 0) ? url.substring(0, url.indexOf('?')) : url;
        }
        return "database";
    }

    /** Host, pid and heartbeat of every execution this process runs, in the job repository. */
    @Bean(destroyMethod = "close")
    @Primary
    ExecutionOwnerRegistry executionOwners(DataSource dataSource, BatchJdbcProperties batchProperties,
            DuckbatchProperties properties) {
        DuckbatchProperties.Heartbeat heartbeat = properties.getHeartbeat();
        heartbeat.validate();
        ExecutionOwnerRegistry registry = new ExecutionOwnerRegistry(dataSource, tablePrefix(batchProperties),
                heartbeat.getInterval(), heartbeat.getTimeout());
        registry.createTableIfMissing();
        return registry;
    }

    /**
     * The claims of the partitions of distributed runs, with their heartbeats: a worker claims
     * the partitions it runs, the manager watches for gone owners. Only those two ask for it.
     */
    @Bean(name = PARTITION_OWNERS, destroyMethod = "close")
    @Lazy
    ExecutionOwnerRegistry partitionOwners(DataSource dataSource, BatchJdbcProperties batchProperties,
            DuckbatchProperties properties) {
        DuckbatchProperties.Heartbeat heartbeat = properties.getHeartbeat();
        ExecutionOwnerRegistry registry = ExecutionOwnerRegistry.forPartitions(dataSource, tablePrefix(batchProperties),
                heartbeat.getInterval(), heartbeat.getTimeout());
        registry.createTableIfMissing();
        return registry;
    }

    @Bean
    ResumingJobLauncher resumingJobLauncher(JobOperator jobOperator, JobRepository jobRepository,
            ExecutionOwnerRegistry executionOwners, ObjectProvider<RecordedInputs> recordedInputs) {
        return new ResumingJobLauncher(jobOperator, jobRepository, executionOwners, recordedInputs.orderedStream().toList());
    }

}
