package io.duckbatch;

import io.duckbatch.cli.DuckbatchCli;
import io.duckbatch.config.JobRepositoryConfiguration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application of the verbs that only read or update the job repository
 * ({@code executions}, {@code stop}, {@code abandon}, {@code recover}; see
 * {@link DuckbatchCli#needsOnlyTheJobRepository}): the same settings, profiles, log file and
 * command-line runner as {@link DuckbatchApplication}, but only the job repository, its
 * DataSource and Spring Batch's JobRepository and JobOperator. No job, DuckDB database, web
 * server or meter registry is created, and of Spring Boot's auto-configurations only the
 * three the repository needs are evaluated, not the hundred the whole application weighs
 * (docs/decisions.md, "Start-up").
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        BatchJdbcAutoConfiguration.class })
@Import({ JobRepositoryConfiguration.class, DuckbatchCli.class })
public class JobRepositoryApplication {

    /**
     * Without Spring Boot's background pre-initialisation, which loads Jackson, the HTTP
     * message converters and Tomcat on the second core for a context that uses none of them
     * (700 of the 6,900 classes {@code executions} loaded).
     */
    static SpringApplication application() {
        SpringApplication application = new SpringApplication(JobRepositoryApplication.class);
        application.setListeners(application.getListeners()
            .stream()
            .filter(listener -> !listener.getClass().getSimpleName().equals("BackgroundPreinitializingApplicationListener"))
            .toList());
        return application;
    }

}
