package io.duckbatch.support;

import java.util.HashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.support.JobOperatorFactoryBean;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Spring Batch's own job repository and operator on a real repository database (H2 or
 * PostgreSQL, see {@link TestJobRepository}), without the application: for tests of one
 * component inside real steps and jobs.
 */
public final class TestBatch implements AutoCloseable {

    private final HikariDataSource dataSource;

    private final JdbcTransactionManager transactionManager;

    private final JobRepository jobRepository;

    private final MapJobRegistry jobRegistry = new MapJobRegistry();

    private final JobOperator jobOperator;

    private TestBatch(TestJobRepository repository) throws Exception {
        this.dataSource = repository.dataSource();
        new ResourceDatabasePopulator(new ClassPathResource(
                "org/springframework/batch/core/schema-" + (repository.isPostgres() ? "postgresql" : "h2") + ".sql"))
            .execute(this.dataSource);
        this.transactionManager = new JdbcTransactionManager(this.dataSource);
        JdbcJobRepositoryFactoryBean repositoryFactory = new JdbcJobRepositoryFactoryBean();
        repositoryFactory.setDataSource(this.dataSource);
        repositoryFactory.setTransactionManager(this.transactionManager);
        repositoryFactory.afterPropertiesSet();
        this.jobRepository = repositoryFactory.getObject();
        JobOperatorFactoryBean operatorFactory = new JobOperatorFactoryBean();
        operatorFactory.setJobRepository(this.jobRepository);
        operatorFactory.setJobRegistry(this.jobRegistry);
        operatorFactory.setTransactionManager(this.transactionManager);
        operatorFactory.afterPropertiesSet();
        this.jobOperator = operatorFactory.getObject();
    }

    /** Creates Spring Batch's tables in {@code repository}'s (fresh) database. */
    public static TestBatch on(TestJobRepository repository) throws Exception {
        return new TestBatch(repository);
    }

    public HikariDataSource dataSource() {
        return this.dataSource;
    }

    public JdbcTransactionManager transactionManager() {
        return this.transactionManager;
    }

    public JobRepository jobRepository() {
        return this.jobRepository;
    }

    public JobOperator jobOperator() {
        return this.jobOperator;
    }

    /** The key under which {@link #namedPartitions} puts each partition's name in its context. */
    public static final String PARTITION = "partition";

    /** Partitions named {@code p0}, {@code p1}, ..., each with its name in its context under {@link #PARTITION}. */
    public static Partitioner namedPartitions() {
        return gridSize -> {
            Map<String, ExecutionContext> contexts = new HashMap<>();
            for (int p = 0; p < gridSize; p++) {
                ExecutionContext context = new ExecutionContext();
                context.putString(PARTITION, "p" + p);
                contexts.put("p" + p, context);
            }
            return contexts;
        };
    }

    /** Makes {@code job} known to the operator, which restarts executions by their job's name. */
    public Job register(Job job) throws Exception {
        this.jobRegistry.register(job);
        return job;
    }

    @Override
    public void close() {
        this.dataSource.close();
    }

}
