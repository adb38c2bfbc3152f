package io.duckbatch.jobs.legacy;

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

/** legacyBulkUpdate in-process on a hand-made companies_enriched. */
@ExtendWith(OutputCaptureExtension.class)
class LegacyBulkUpdateJobTest {

    @TempDir
    Path dir;

    private int run() {
        return DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "--duckbatch.demo.rows=100",
                "--duckbatch.page-size=3", "--duckbatch.chunk-size=2", "--spring.batch.job.name=legacyBulkUpdate");
    }

    @Test
    void recomputesTheStatusOfExactlyTheOldCompanies() throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(target, "CREATE TABLE companies_enriched (company_number VARCHAR, name VARCHAR, phone VARCHAR,"
                + " address STRUCT(line1 VARCHAR, town VARCHAR, postcode VARCHAR), incorporated_on DATE, country_code VARCHAR,"
                + " is_mobile BOOLEAN, normalized_phone VARCHAR, status VARCHAR)",
                "INSERT INTO companies_enriched VALUES"
                        + " ('01', 'old, nothing known', NULL, NULL, DATE '1980-01-01', NULL, NULL, NULL, 'active'),"
                        + " ('02', 'old, mobile', '07123456789', NULL, DATE '1985-05-05', '44', true, '+447123456789', 'active'),"
                        + " ('03', 'old, landline', '0201234567', {'line1': 'x', 'town': 'y', 'postcode': 'z'}, DATE '1970-01-01', '44', false, '+44201234567', 'active'),"
                        + " ('04', 'old, address only', NULL, {'line1': 'x', 'town': 'y', 'postcode': 'z'}, DATE '1989-12-31', NULL, NULL, NULL, 'active'),"
                        + " ('05', 'new, nothing known', NULL, NULL, DATE '2000-01-01', NULL, NULL, NULL, 'active'),"
                        + " ('06', 'old, nothing known', NULL, NULL, DATE '1960-06-06', NULL, NULL, NULL, 'active')");
        assertThat(run()).isZero();

        List<Object> expected = List.of("dormant", "active-mobile", "active", "active", "active", "dormant");
        assertThat(DuckDbFiles.column(target, "SELECT status FROM companies_enriched ORDER BY company_number"))
            .isEqualTo(expected);
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM companies_enriched")).isEqualTo(6);

        assertThat(run()).isZero();
        assertThat(DuckDbFiles.column(target, "SELECT status FROM companies_enriched ORDER BY company_number"))
            .isEqualTo(expected);
    }

    @Test
    void withoutCompaniesEnrichedItSaysWhatToRunFirst(CapturedOutput output) {
        assertThat(run()).isEqualTo(1);
        assertThat(output.getErr()).contains("Table 'companies_enriched' not found in " + this.dir.resolve("target.duckdb")
                + "; run job phoneFeatures first");
    }

}
