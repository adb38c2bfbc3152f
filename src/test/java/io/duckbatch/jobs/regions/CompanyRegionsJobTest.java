package io.duckbatch.jobs.regions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.JobPhaseTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Both branches of rule 1 on the postcode lookup give each company the region a plain map of the lookup gives. */
@ExtendWith(OutputCaptureExtension.class)
class CompanyRegionsJobTest {

    @TempDir
    Path dir;

    private static final String ALL = "SELECT company_number, postcode, region FROM company_regions ORDER BY company_number";

    /**
     * The load of the lookup, which the job waits for before any step, is a phase of the
     * job's table, once per run, also in a run that resumes one that failed after it.
     */
    @Test
    void theLoadIsAPhaseOfTheJobsTable(CapturedOutput output) throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        // A table whose region column takes no region: the first run fails in the step after the load.
        DuckDbFiles.execute(target, "CREATE TABLE company_regions (company_number VARCHAR, postcode VARCHAR, region INTEGER)");
        assertThat(run("memory")).isEqualTo(1);
        assertThat(JobPhaseTable.in(output.getOut(), CompanyRegionsJobConfiguration.JOB_NAME, 1).calls("load")).isEqualTo(1);

        DuckDbFiles.execute(target, "DROP TABLE company_regions");
        assertThat(run("memory")).isZero();
        assertThat(output.getOut()).contains("Resuming companyRegions execution 1");
        JobPhaseTable resumed = JobPhaseTable.in(output.getOut(), CompanyRegionsJobConfiguration.JOB_NAME, 2);
        assertThat(resumed.calls("load")).as(resumed.toString()).isEqualTo(1);
        assertThat(resumed.calls("read")).as(resumed.toString()).isPositive();
        assertThat(resumed.shareSum()).as(resumed.toString()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(0.5));
    }

    private int run(String loadMode) {
        return DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "--duckbatch.demo.rows=20000",
                "--duckbatch.page-size=3000", "--spring.batch.job.name=companyRegions", "--duckbatch.load-mode=" + loadMode);
    }

    @Test
    void joiningInJavaAfterLoadingOnceEqualsJoiningInSql(CapturedOutput output) throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        assertThat(run("auto")).isZero();
        assertThat(output.getOut()).contains("Load decision for postcode_regions: load once into memory (20,000 rows")
            .contains("[regionsInJava] COMPLETED");
        List<List<Object>> inJava = DuckDbFiles.rows(target, ALL);

        assertThat(run("chunked")).isZero();
        assertThat(output.getOut()).contains("Load decision for postcode_regions: read in chunks")
            .contains("Built table company_regions");
        List<List<Object>> inSql = DuckDbFiles.rows(target, ALL);

        List<List<Object>> expected = regionOfEachCompany(this.dir.resolve("source.duckdb"));
        assertThat(inJava).isEqualTo(expected);
        assertThat(inSql).isEqualTo(expected);
        // The oracle is not trivial: companies without an address, and many regions.
        assertThat(expected).hasSize(20_000)
            .anyMatch(row -> row.get(1) == null)
            .filteredOn(row -> row.get(2) != null)
            .hasSizeGreaterThan(10_000);
        assertThat(expected.stream().map(row -> row.get(2)).distinct().count()).isGreaterThan(5);
    }

    /**
     * The oracle: each company's postcode (trimmed, upper case) and its region from a plain
     * Java map of the source's postcode_regions, in company number order.
     */
    private static List<List<Object>> regionOfEachCompany(Path source) throws Exception {
        Map<Object, Object> regionByPostcode = new HashMap<>();
        for (List<Object> lookup : DuckDbFiles.rows(source, "SELECT postcode, region FROM postcode_regions")) {
            assertThat(regionByPostcode.put(lookup.get(0), lookup.get(1))).as("postcode %s listed once", lookup.get(0)).isNull();
        }
        List<List<Object>> expected = new ArrayList<>();
        for (List<Object> company : DuckDbFiles.rows(source,
                "SELECT company_number, address.postcode FROM companies ORDER BY company_number")) {
            String postcode = (company.get(1) != null) ? ((String) company.get(1)).strip().toUpperCase(Locale.ROOT) : null;
            expected.add(Arrays.asList(company.get(0), postcode, (postcode != null) ? regionByPostcode.get(postcode) : null));
        }
        return expected;
    }

}
