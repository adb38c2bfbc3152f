package io.duckbatch.jobs.phone;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** phoneFeatures in-process: append-only feature table, consolidated third table, clear errors. */
@ExtendWith(OutputCaptureExtension.class)
class PhoneFeaturesJobTest {

    @TempDir
    Path dir;

    private int run(String job) {
        return DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "--duckbatch.source=" + this.dir.resolve("s.duckdb"),
                "--spring.batch.job.name=" + job);
    }

    @Test
    void derivesFeaturesIntoANewTableAndJoinsAThird() throws Exception {
        DuckDbFiles.execute(this.dir.resolve("s.duckdb"),
                "CREATE TABLE companies (company_number VARCHAR, name VARCHAR, sic_codes VARCHAR[], phone VARCHAR,"
                        + " address STRUCT(line1 VARCHAR, town VARCHAR, postcode VARCHAR), incorporated_on DATE)",
                "INSERT INTO companies VALUES ('01', 'A', [], '07123 456789', NULL, NULL), ('02', 'B', [], '+44 161 1234567', NULL, NULL),"
                        + " ('03', 'C', [], '(0712) 345678', NULL, NULL), ('04', 'D', [], '+353 1 1234567', NULL, NULL),"
                        + " ('05', 'E', [], NULL, NULL, NULL), ('06', 'F', [], '0131-1234567', NULL, NULL)");
        assertThat(run("companyCopy")).isZero();
        assertThat(run("phoneFeatures")).isZero();

        Path target = this.dir.resolve("target.duckdb");
        assertThat(DuckDbFiles.rows(target, "SELECT company_number, country_code, is_mobile, normalized_phone"
                + " FROM company_phone_features ORDER BY company_number")).containsExactly(
                        List.of("01", "44", true, "+447123456789"), List.of("02", "44", false, "+441611234567"),
                        List.of("03", "44", true, "+44712345678"), List.of("04", "353", false, "+35311234567"),
                        List.of("06", "44", false, "+441311234567"));
        assertThat(DuckDbFiles.rows(target, "SELECT company_number, name, country_code, is_mobile, status"
                + " FROM companies_enriched ORDER BY company_number").get(4))
            .isEqualTo(Arrays.asList("05", "E", null, null, "active"));
        // The base table gained no columns: features live beside it.
        assertThat(DuckDbFiles.column(target, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'companies_clean'"))
            .doesNotContain("country_code", "is_mobile", "normalized_phone");

        assertThat(run("phoneFeatures")).isZero();
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM companies_enriched")).isEqualTo(6);
    }

    @Test
    void withoutCompaniesCleanItSaysWhatToRunFirst(CapturedOutput output) throws Exception {
        DuckDbFiles.execute(this.dir.resolve("s.duckdb"), "CREATE TABLE companies (company_number VARCHAR)");
        assertThat(run("phoneFeatures")).isEqualTo(1);
        assertThat(output.getErr()).contains("Table 'companies_clean' not found in " + this.dir.resolve("target.duckdb")
                + "; run job companyCopy first");
    }

}
