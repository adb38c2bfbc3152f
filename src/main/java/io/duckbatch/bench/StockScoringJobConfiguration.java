package io.duckbatch.bench;

import java.sql.Array;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

import io.duckbatch.config.DuckbatchProperties;
import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.job.StandardJobListeners;
import io.duckbatch.jobs.JobCatalog;
import io.duckbatch.jobs.scoring.Company;
import io.duckbatch.jobs.scoring.CompanyScoringJobConfiguration;
import io.duckbatch.jobs.scoring.RticCode;
import io.duckbatch.jobs.scoring.RticCodes;
import io.duckbatch.jobs.scoring.RticScore;
import io.duckbatch.jobs.scoring.RticScorer;
import io.duckbatch.jobs.scoring.ScoringSettings;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.database.JdbcBatchItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.builder.JdbcBatchItemWriterBuilder;
import org.springframework.batch.infrastructure.item.database.builder.JdbcPagingItemReaderBuilder;
import org.springframework.batch.infrastructure.item.database.support.PostgresPagingQueryProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.task.TaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The baseline of {@code bench}: companyScoring as a Spring Batch user would write it with
 * stock components. The same partitions (one per RTIC code), the same processor, but
 * {@code JdbcPagingItemReader} (sort key {@code company_number}; DuckDB has no Spring Batch
 * dialect, so PostgreSQL's LIMIT syntax) and {@code JdbcBatchItemWriter}, whose
 * {@code executeBatch} runs one INSERT per row in DuckDB's driver. It starts with
 * companyScoring's step {@code prepareScoringTarget}, hence the import.
 */
@Configuration(proxyBeanMethods = false)
@Import(CompanyScoringJobConfiguration.class)
public class StockScoringJobConfiguration {

    public static final String JOB_NAME = JobCatalog.STOCK_COMPANY_SCORING;

    static final String RTIC_CODE = "rticCode";

    @Bean
    Job stockCompanyScoring(StandardJobListeners jobs, Step prepareScoringTarget, Step stockScoreCompanies) {
        return jobs.job(JOB_NAME).start(prepareScoringTarget).next(stockScoreCompanies).build();
    }

    /** One partition per RTIC code, named by the code: the task list a stock job would have. */
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
            catch (SQLException ex) {
                throw new IllegalStateException("Cannot read RTIC codes from " + sourceDatabase + ": " + ex.getMessage(), ex);
            }
        };
    }

    @Bean
    Step stockScoreCompanies(JobRepository jobRepository, Partitioner rticPartitioner, Step stockScoreRticCode,
            TaskExecutor partitionTaskExecutor, DuckbatchProperties properties) {
        return new StepBuilder("stockScoreCompanies", jobRepository)
            .partitioner(stockScoreRticCode.getName(), rticPartitioner)
            .step(stockScoreRticCode)
            .taskExecutor(partitionTaskExecutor)
            .gridSize(properties.getConcurrency())
            .build();
    }

    @Bean
    Step stockScoreRticCode(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DuckbatchProperties properties, JdbcPagingItemReader<Company> stockCompanyReader,
            StockScorer stockScorer, JdbcBatchItemWriter<RticScore> stockScoreWriter) {
        return new StepBuilder("stockScoreRticCode", jobRepository).<Company, RticScore>chunk(properties.getChunkSize())
            .transactionManager(transactionManager)
            .reader(stockCompanyReader)
            .processor(stockScorer)
            .writer(stockScoreWriter)
            .build();
    }

    @Bean
    @StepScope
    JdbcPagingItemReader<Company> stockCompanyReader(DuckDbDataSource sourceDatabase, DuckbatchProperties properties)
            throws Exception {
        PostgresPagingQueryProvider query = new PostgresPagingQueryProvider();
        query.setSelectClause("company_number, name, sic_codes");
        query.setFromClause("companies");
        query.setSortKeys(Map.of("company_number", Order.ASCENDING));
        return new JdbcPagingItemReaderBuilder<Company>().name("stockCompanies")
            .dataSource(sourceDatabase)
            .queryProvider(query)
            .pageSize(properties.getPageSize())
            .rowMapper(CompanyScoringJobConfiguration.COMPANY_ROW)
            .build();
    }

    @Bean
    @StepScope
    StockScorer stockScorer(DuckDbDataSource sourceDatabase, ScoringSettings scoring,
            @Value("#{stepExecutionContext['" + RTIC_CODE + "']}") String code) {
        return new StockScorer(RticScorer.load(sourceDatabase, code, scoring.getThreshold()));
    }

    /** The scorer as a plain step-scoped ItemProcessor, as a stock job would hold it. */
    public static class StockScorer implements ItemProcessor<Company, RticScore> {

        private final RticScorer scorer;

        public StockScorer(RticScorer scorer) {
            this.scorer = scorer;
        }

        @Override
        public RticScore process(Company company) {
            return this.scorer.transform(company);
        }

    }

    @Bean
    @StepScope
    JdbcBatchItemWriter<RticScore> stockScoreWriter(DuckDbDataSource targetDatabase) {
        return executeBatchWriter(targetDatabase);
    }

    /** Writes scores to {@code rtic_scores} with JDBC batches: {@code executeBatch}. */
    static JdbcBatchItemWriter<RticScore> executeBatchWriter(DataSource targetDatabase) {
        JdbcBatchItemWriter<RticScore> writer = new JdbcBatchItemWriterBuilder<RticScore>().dataSource(targetDatabase)
            .sql("INSERT INTO " + CompanyScoringJobConfiguration.TARGET_TABLE + " VALUES (?, ?, ?, ?)")
            .itemPreparedStatementSetter((score, statement) -> {
                Array keywords = statement.getConnection().createArrayOf("VARCHAR", score.matchedKeywords().toArray());
                statement.setString(1, score.rticCode());
                statement.setString(2, score.companyNumber());
                statement.setDouble(3, score.score());
                statement.setArray(4, keywords);
            })
            .build();
        writer.afterPropertiesSet();
        return writer;
    }

}
