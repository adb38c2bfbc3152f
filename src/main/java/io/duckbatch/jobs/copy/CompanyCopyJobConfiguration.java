package io.duckbatch.jobs.copy;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.job.StandardJobListeners;
import io.duckbatch.core.sql.AtomicTableBuildTasklet;
import io.duckbatch.core.step.StepRecipes;
import io.duckbatch.jobs.JobCatalog;
import io.duckbatch.jobs.TargetTables;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Job {@code companyCopy} (rule 4): copies the source's {@code companies} into the target's
 * {@code companies_clean} in one {@code INSERT INTO ... SELECT} on the target connection,
 * reading the source ATTACHed read-only; rows never enter the JVM. On the way the address
 * STRUCT is rebuilt (trimmed, upper-case postcode) and the SIC codes become a list of
 * {@code {code, section}} STRUCTs. Each run rebuilds the table atomically, so re-running
 * never duplicates rows.
 */
@Configuration(proxyBeanMethods = false)
public class CompanyCopyJobConfiguration {

    public static final String JOB_NAME = JobCatalog.COMPANY_COPY;

    static final String TABLE = TargetTables.COMPANIES_CLEAN.table();

    /** SIC 2007 section letter by division (the first two digits, 01 to 99); '-' where none. */
    static final String SECTIONS = "AAA-BBBBBCCCCCCCCCCCCCCCCCCCCCCCC-DEEEE-FFF-GGG-HHHHH-II-JJJJJJKKK-LMMMMMMM-NNNNNN-OPQQQ-RRRRSSSTTU";

    static final String COLUMNS = "company_number VARCHAR PRIMARY KEY, name VARCHAR,"
            + " sic_codes STRUCT(code VARCHAR, section VARCHAR)[], phone VARCHAR,"
            + " address STRUCT(line1 VARCHAR, town VARCHAR, postcode VARCHAR), incorporated_on DATE";

    static final String SELECT = "SELECT company_number, trim(name),"
            + " list_transform(sic_codes, lambda c: {'code': c, 'section': nullif(substr('" + SECTIONS
            + "', TRY_CAST(left(c, 2) AS INTEGER), 1), '-')}),"
            + " phone,"
            + " CASE WHEN address IS NULL THEN NULL ELSE {'line1': trim(address.line1), 'town': trim(address.town),"
            + " 'postcode': upper(trim(address.postcode))} END,"
            + " incorporated_on"
            + " FROM source.companies";

    @Bean
    Job companyCopy(StandardJobListeners jobs, Step copyCompanies) {
        return jobs.job(JOB_NAME).start(copyCompanies)
            .build();
    }

    @Bean
    Step copyCompanies(StepRecipes steps, DuckDbDataSource sourceDatabase, DuckDbDataSource targetDatabase) {
        return steps.tasklet("copyCompanies", run -> AtomicTableBuildTasklet.builder()
            .database(targetDatabase)
            .attach("source", sourceDatabase)
            .requireColumns("source", "companies", "company_number", "name", "sic_codes", "phone", "address",
                    "incorporated_on")
            .table(TABLE)
            .columns(COLUMNS)
            .select(SELECT)
            .timer(run.timer())
            .build()).build();
    }

}
