package io.duckbatch.jobs.phone;

import java.util.List;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.job.StandardJobListeners;
import io.duckbatch.core.sql.AtomicTableBuildTasklet;
import io.duckbatch.core.sql.RequiredTableTasklet;
import io.duckbatch.core.step.StepRecipes;
import io.duckbatch.jobs.JobCatalog;
import io.duckbatch.jobs.TargetTables;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Job {@code phoneFeatures} (rule 9, append-only enrichment): step 1 derives phone features
 * into a new table {@code company_phone_features} with {@code CREATE TABLE AS SELECT};
 * step 2 consolidates {@code companies_enriched} as a third table joining
 * {@code companies_clean} with the features. No {@code ALTER TABLE ... ADD COLUMN} and no
 * {@code UPDATE}; each table is rebuilt atomically. Needs {@code companies_clean}
 * (job {@code companyCopy}).
 */
@Configuration(proxyBeanMethods = false)
public class PhoneFeaturesJobConfiguration {

    public static final String JOB_NAME = JobCatalog.PHONE_FEATURES;

    static final String FEATURES = "company_phone_features";

    static final String ENRICHED = TargetTables.COMPANIES_ENRICHED.table();

    /**
     * Digits with a leading '+' kept; then international form: '+' and '00' prefixes
     * dropped, a national '0' becomes UK's 44. A mobile is a UK number whose national part
     * starts with 7.
     */
    static final String FEATURES_SELECT = """
            WITH cleaned AS (
                SELECT company_number, regexp_replace(phone, '[^0-9+]', '', 'g') AS p
                FROM companies_clean
                WHERE phone IS NOT NULL
            ), international AS (
                SELECT company_number,
                       CASE WHEN p LIKE '+%' THEN substr(p, 2)
                            WHEN p LIKE '00%' THEN substr(p, 3)
                            WHEN p LIKE '0%' THEN '44' || substr(p, 2)
                            ELSE p END AS digits
                FROM cleaned
            )
            SELECT company_number,
                   CASE WHEN digits LIKE '44%' THEN '44' WHEN digits LIKE '353%' THEN '353' END AS country_code,
                   digits LIKE '447%' AS is_mobile,
                   '+' || digits AS normalized_phone
            FROM international
            WHERE length(digits) >= 9
            """;

    static final String ENRICHED_SELECT = """
            SELECT c.*, f.country_code, f.is_mobile, f.normalized_phone, 'active' AS status
            FROM companies_clean c
            LEFT JOIN company_phone_features f USING (company_number)
            """;

    @Bean
    Job phoneFeatures(StandardJobListeners jobs, Step checkCompaniesClean, Step buildPhoneFeatures,
            Step consolidateCompanies) {
        return jobs.job(JOB_NAME).start(checkCompaniesClean)
            .next(buildPhoneFeatures)
            .next(consolidateCompanies)
            .build();
    }

    @Bean
    Step checkCompaniesClean(StepRecipes steps, DuckDbDataSource targetDatabase) {
        return steps.check("checkCompaniesClean", new RequiredTableTasklet(targetDatabase,
                TargetTables.COMPANIES_CLEAN.table(), List.of("company_number", "phone"), TargetTables.COMPANIES_CLEAN.madeBy()));
    }

    @Bean
    Step buildPhoneFeatures(StepRecipes steps, DuckDbDataSource targetDatabase) {
        return tableBuild(steps, "buildPhoneFeatures", targetDatabase, FEATURES, FEATURES_SELECT);
    }

    @Bean
    Step consolidateCompanies(StepRecipes steps, DuckDbDataSource targetDatabase) {
        return tableBuild(steps, "consolidateCompanies", targetDatabase, ENRICHED, ENRICHED_SELECT);
    }

    private static Step tableBuild(StepRecipes steps, String name, DuckDbDataSource targetDatabase, String table,
            String select) {
        return steps.tasklet(name, run -> AtomicTableBuildTasklet.builder()
            .database(targetDatabase)
            .table(table)
            .select(select)
            .timer(run.timer())
            .build()).build();
    }

}
