package io.duckbatch.jobs.importing;

import java.nio.file.Path;

import io.duckbatch.core.csv.CsvImportTasklet;
import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.StorageVersion;
import io.duckbatch.core.job.StandardJobListeners;
import io.duckbatch.core.step.StepRecipes;
import io.duckbatch.jobs.JobCatalog;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Job {@code companyImport} (rule 4): loads the Companies House bulk file named by the job
 * parameter {@code input} (a .zip, .csv, .csv.gz or a glob over the part files) into the
 * {@code companies} table of the source database ({@code duckbatch.source}, created when
 * missing), the table the other jobs read. DuckDB parses and types the rows; lines it cannot
 * take and repeated company numbers go to {@code companies_rejects}. The new tables replace
 * the old ones in one transaction; a failed or killed import leaves them as they were and
 * the same command imports afresh.
 */
@Configuration(proxyBeanMethods = false)
public class CompanyImportJobConfiguration {

    public static final String JOB_NAME = JobCatalog.COMPANY_IMPORT;

    /** The job parameter naming the file(s) to import. */
    public static final String INPUT = "input";

    static final String TABLE = "companies";

    static final String REJECTS = "companies_rejects";

    @Bean
    Job companyImport(StandardJobListeners jobs, Step importCompanies) {
        return jobs.job(JOB_NAME).start(importCompanies).build();
    }

    /** The source database, opened for writing: the one job that writes it. */
    @Bean(destroyMethod = "close")
    DuckDbDataSource importDatabase(DuckDbDataSource sourceDatabase, StorageVersion storageVersionOfNewFiles) {
        return DuckDbDataSource.readWrite(sourceDatabase.path(), storageVersionOfNewFiles);
    }

    @Bean
    Step importCompanies(StepRecipes steps, DuckDbDataSource importDatabase, ImportSettings importSettings) {
        Path database = importDatabase.path();
        return steps.tasklet("importCompanies", run -> CsvImportTasklet.builder()
            .database(importDatabase)
            .input(run.execution().getJobParameters().getString(INPUT),
                    database.resolveSibling(database.getFileName() + ".import"))
            .layout(CompaniesHouseFile.LAYOUT)
            .table(TABLE, CompaniesHouseFile.COLUMNS, CompaniesHouseFile.SELECT)
            .key("company_number", CompaniesHouseFile.KEY)
            .rejects(REJECTS, importSettings.getMaxRejects())
            .rowNoun("companies")
            .progress(steps.defaults().progressInterval())
            .timer(run.timer())
            .build()).build();
    }

}
