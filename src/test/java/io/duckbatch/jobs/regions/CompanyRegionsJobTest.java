package io.duckbatch.jobs.regions;

import java.nio.file.Path;
import java.util.List;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Both branches of rule 1 on the postcode lookup give the same company_regions. */
@ExtendWith(OutputCaptureExtension.class)
class CompanyRegionsJobTest {

    @TempDir
    Path dir;

    private static final String ALL = "SELECT company_number, postcode, region FROM company_regions ORDER BY company_number";

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

        assertThat(inJava).hasSize(20_000).isEqualTo(inSql);
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM company_regions WHERE postcode IS NOT NULL AND region IS NULL"))
            .isZero();
        assertThat(DuckDbFiles.count(target, "SELECT count(DISTINCT region) FROM company_regions")).isGreaterThan(5);
    }

}
