package io.duckbatch.jobs.regions;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.job.StandardJobListeners;
import io.duckbatch.core.keyset.KeysetQuery;
import io.duckbatch.core.load.JobDatasets;
import io.duckbatch.core.load.LoadDecider;
import io.duckbatch.core.load.LoadOnceDecider;
import io.duckbatch.core.load.LoadedRows;
import io.duckbatch.core.read.KeysetItemReader;
import io.duckbatch.core.resume.DestinationCheckpoint;
import io.duckbatch.core.skip.DeadLetters;
import io.duckbatch.core.sql.AtomicTableBuildTasklet;
import io.duckbatch.core.sql.RequiredTableTasklet;
import io.duckbatch.core.step.StepRecipes;
import io.duckbatch.core.write.AppenderItemWriter;
import io.duckbatch.jobs.JobCatalog;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Job {@code companyRegions} (rule 1): gives every company the region of its postcode from
 * {@code postcode_regions}, a lookup as large as the companies. The job first measures the
 * lookup: when it fits in half the free heap it is loaded once and the join happens in Java
 * (step {@code regionsInJava}, a map lookup per company); otherwise the join is pushed into
 * SQL (step {@code regionsInSql}, one statement in DuckDB). Both write the same
 * {@code company_regions(company_number, postcode, region)}. In Java, a company the join or
 * the append fails on goes to {@code companyRegions_rejects} (up to {@code duckbatch.skip-limit}).
 */
@Configuration(proxyBeanMethods = false)
public class CompanyRegionsJobConfiguration {

    public static final String JOB_NAME = JobCatalog.COMPANY_REGIONS;

    static final String TABLE = "company_regions";

    static final String COLUMNS = "company_number VARCHAR, postcode VARCHAR, region VARCHAR";

    private static final String LOOKUP = "postcode_regions";

    private static final String READER_NAME = "companyPostcodes";

    /** A lookup row without a postcode matches no company (users' lookups may have some). */
    private static final KeysetQuery LOOKUP_QUERY = new KeysetQuery(LOOKUP, "postcode", List.of("region"), "postcode IS NOT NULL",
            List.of());

    @Bean
    Job companyRegions(StandardJobListeners jobs, JobDatasets jobDatasets, DuckDbDataSource sourceDatabase,
            Step checkLookup, Step regionsInJava, Step regionsInSql) {
        LoadOnceDecider<Map.Entry<String, String>> lookupFits = new LoadOnceDecider<>(jobDatasets, LOOKUP,
                LoadDecider.builder().dataSource(sourceDatabase).query(LOOKUP_QUERY).mode(jobDatasets.mode()).build(),
                () -> LoadedRows.load(sourceDatabase, LOOKUP_QUERY, (rs, row) -> Map.entry(rs.getString(1), rs.getString(2))));
        return jobs.job(JOB_NAME).start(checkLookup)
            .next(lookupFits)
            .on(LoadOnceDecider.LOADED)
            .to(regionsInJava)
            .from(lookupFits)
            .on(LoadOnceDecider.CHUNKED)
            .to(regionsInSql)
            .end()
            .build();
    }

    /**
     * The lookup is the user's: the demo source has one, an imported Companies House file has
     * none (it holds no regions), so its absence is named with what to load.
     */
    @Bean
    Step checkLookup(StepRecipes steps, DuckDbDataSource sourceDatabase) {
        return steps.check("checkLookup", new RequiredTableTasklet(sourceDatabase, LOOKUP, List.of("postcode", "region"),
                "load a table " + LOOKUP + "(postcode, region) into the source first (the Companies House file has no"
                        + " regions; the ONS Postcode Directory maps postcodes to regions)"));
    }

    @Bean
    Step regionsInSql(StepRecipes steps, DuckDbDataSource sourceDatabase, DuckDbDataSource targetDatabase) {
        return steps.tasklet("regionsInSql", run -> AtomicTableBuildTasklet.builder()
            .database(targetDatabase)
            .attach("source", sourceDatabase)
            .table(TABLE)
            .columns(COLUMNS)
            .select("SELECT c.company_number, upper(trim(c.address.postcode)), p.region FROM source.companies c"
                    + " LEFT JOIN source." + LOOKUP + " p ON p.postcode = upper(trim(c.address.postcode))")
            .timer(run.timer())
            .build()).build();
    }

    @Bean
    Step regionsInJava(StepRecipes steps, DuckDbDataSource sourceDatabase, DuckDbDataSource targetDatabase,
            JobDatasets jobDatasets) {
        return steps.<CompanyPostcode, CompanyRegion>chunk("regionsInJava")
            .reader(run -> KeysetItemReader.<CompanyPostcode>builder()
                .name(READER_NAME)
                .dataSource(sourceDatabase)
                .table("companies")
                .keyColumn("company_number")
                // By name: the address STRUCT of an imported file has more fields than the demo's.
                .columns("address.postcode")
                .pageSize(steps.defaults().pageSize())
                .rowMapper((rs, row) -> new CompanyPostcode(rs.getString(1), rs.getString(2)))
                .resumeFrom(DestinationCheckpoint.builder().destination(targetDatabase).table(TABLE).keyColumn("company_number").build())
                .timer(run.timer())
                .build())
            .transformer(run -> {
                LoadedRows<Map.Entry<String, String>> lookup = jobDatasets.loaded(run.execution().getJobExecution(), LOOKUP);
                return new RegionLookup(lookup.rows(), lookup.size());
            })
            .writer(run -> AppenderItemWriter.<CompanyRegion>builder()
                .dataSource(targetDatabase)
                .table(TABLE)
                .binder((region, row) -> row.append(region.companyNumber()).append(region.postcode()).append(region.region()))
                .timer(run.timer())
                .build())
            .deadLetters(DeadLetters.of(targetDatabase, CompanyPostcode::companyNumber, CompanyRegion::companyNumber))
            .progress(KeysetItemReader.rowsToReadKey(READER_NAME))
            .listener(createTable(targetDatabase))
            .build();
    }

    /** The Java branch appends: its table must exist before the writer opens. */
    private static StepExecutionListener createTable(DuckDbDataSource targetDatabase) {
        return new StepExecutionListener() {
            @Override
            public void beforeStep(StepExecution stepExecution) {
                try (Connection connection = targetDatabase.getConnection(); Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (" + COLUMNS + ")");
                }
                catch (SQLException ex) {
                    throw new IllegalStateException("Cannot create table " + TABLE + " in " + targetDatabase + ": " + ex.getMessage(), ex);
                }
            }
        };
    }

}
