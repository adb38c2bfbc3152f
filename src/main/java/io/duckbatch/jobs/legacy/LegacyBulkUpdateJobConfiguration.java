package io.duckbatch.jobs.legacy;

import java.util.List;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.job.StandardJobListeners;
import io.duckbatch.core.read.KeysetItemReader;
import io.duckbatch.core.skip.DeadLetters;
import io.duckbatch.core.sql.RequiredTableTasklet;
import io.duckbatch.core.step.StepRecipes;
import io.duckbatch.core.timing.SimplerTimer;
import io.duckbatch.core.write.StagedUpdateItemWriter;
import io.duckbatch.jobs.JobCatalog;
import io.duckbatch.jobs.TargetTables;
import io.duckbatch.jobs.legacy.LegacySettings;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.Step;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Job {@code legacyBulkUpdate} (rule 10, when an update cannot be avoided): recomputes in
 * Java the {@code status} of the companies in {@code companies_enriched} incorporated before
 * {@code duckbatch.legacy.incorporated-before}, and applies each chunk's new statuses with
 * one {@code UPDATE ... FROM} a staged table. The reader pages through the same table it
 * updates; its work predicate does not depend on the status, and the update is idempotent,
 * so resuming from the reader's ExecutionContext position is correct even when a chunk
 * committed to DuckDB was not recorded in the job repository. A company the rule or the
 * update fails on goes to {@code legacyBulkUpdate_rejects} (up to {@code duckbatch.skip-limit}).
 */
@Configuration(proxyBeanMethods = false)
public class LegacyBulkUpdateJobConfiguration {

    public static final String JOB_NAME = JobCatalog.LEGACY_BULK_UPDATE;

    static final String TABLE = TargetTables.COMPANIES_ENRICHED.table();

    private static final String READER_NAME = "companiesEnriched";

    @Bean
    Job legacyBulkUpdate(StandardJobListeners jobs, Step checkCompaniesEnriched, Step recomputeStatus) {
        return jobs.job(JOB_NAME).start(checkCompaniesEnriched)
            .next(recomputeStatus)
            .build();
    }

    @Bean
    Step checkCompaniesEnriched(StepRecipes steps, DuckDbDataSource targetDatabase) {
        return steps.check("checkCompaniesEnriched", new RequiredTableTasklet(targetDatabase, TABLE,
                List.of("company_number", "phone", "address", "is_mobile", "incorporated_on", "status"),
                TargetTables.COMPANIES_ENRICHED.madeBy()));
    }

    @Bean
    Step recomputeStatus(StepRecipes steps, LegacySettings legacy, DuckDbDataSource targetDatabase) {
        return steps.<LegacyCompany, StatusChange>chunk("recomputeStatus")
            .reader(run -> reader(targetDatabase, legacy, steps.defaults().pageSize(), run.timer()))
            .transformer(run -> new StatusRule())
            .writer(run -> writer(targetDatabase, run.timer()))
            .deadLetters(DeadLetters.of(targetDatabase, LegacyCompany::companyNumber, StatusChange::companyNumber))
            .progress(KeysetItemReader.rowsToReadKey(READER_NAME))
            .build();
    }

    private static KeysetItemReader<LegacyCompany> reader(DuckDbDataSource targetDatabase, LegacySettings legacy,
            int pageSize, SimplerTimer timer) {
        return KeysetItemReader.<LegacyCompany>builder()
            .name(READER_NAME)
            .dataSource(targetDatabase)
            .table(TABLE)
            .keyColumn("company_number")
            .columns("phone", "address", "is_mobile")
            .workPredicate("incorporated_on < ?", legacy.getIncorporatedBefore())
            .pageSize(pageSize)
            .rowMapper((rs, row) -> new LegacyCompany(rs.getString(1), rs.getString(2) != null, rs.getObject(3) != null,
                    rs.getBoolean(4)))
            .timer(timer)
            .build();
    }

    private static StagedUpdateItemWriter<StatusChange> writer(DuckDbDataSource targetDatabase, SimplerTimer timer) {
        return StagedUpdateItemWriter.<StatusChange>builder()
            .dataSource(targetDatabase)
            .table(TABLE)
            .keyColumn("company_number")
            .updatedColumns("status")
            .binder((change, row) -> row.append(change.companyNumber()).append(change.status()))
            .timer(timer)
            .build();
    }

}
