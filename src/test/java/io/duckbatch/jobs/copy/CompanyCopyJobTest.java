package io.duckbatch.jobs.copy;

import java.nio.file.Files;
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

/** companyCopy in-process on real files: the STRUCT trap, idempotence, an untouched source. */
@ExtendWith(OutputCaptureExtension.class)
class CompanyCopyJobTest {

    @TempDir
    Path dir;

    /** 60,000 companies; the first 50,000 have no address at all, later ones a full one. */
    private Path trapSource() throws Exception {
        Path source = this.dir.resolve("trap.duckdb");
        DuckDbFiles.execute(source,
                "CREATE TABLE companies (company_number VARCHAR PRIMARY KEY, name VARCHAR, sic_codes VARCHAR[], phone VARCHAR,"
                        + " address STRUCT(line1 VARCHAR, town VARCHAR, postcode VARCHAR), incorporated_on DATE)",
                "INSERT INTO companies SELECT lpad(CAST(i AS VARCHAR), 8, '0'), ' Company ' || i || ' ', ['62012', '47110'],"
                        + " NULL, CASE WHEN i < 50000 THEN NULL ELSE {'line1': ' 1 High St ', 'town': 'Leeds', 'postcode': ' ls1 4ab '} END,"
                        + " DATE '2001-02-03' FROM range(60000) t(i)");
        return source;
    }

    private int run(Path source) {
        return DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "--duckbatch.source=" + source,
                "--spring.batch.job.name=companyCopy");
    }

    @Test
    void copiesInEngineWithTypesIntactWhateverTheFirstRowsHold(CapturedOutput output) throws Exception {
        Path source = trapSource();
        byte[] before = Files.readAllBytes(source);

        assertThat(run(source)).isZero();
        Path target = this.dir.resolve("target.duckdb");
        assertThat(DuckDbFiles.rows(target, "SELECT typeof(address), typeof(sic_codes) FROM companies_clean LIMIT 1"))
            .containsExactly(List.of("STRUCT(line1 VARCHAR, town VARCHAR, postcode VARCHAR)", "STRUCT(code VARCHAR, section VARCHAR)[]"));
        assertThat(DuckDbFiles.rows(target, "SELECT name, address.line1, address.postcode, CAST(sic_codes AS VARCHAR)"
                + " FROM companies_clean WHERE company_number = '00059999'"))
            .containsExactly(List.of("Company 59999", "1 High St", "LS1 4AB", "[{'code': 62012, 'section': J}, {'code': 47110, 'section': G}]"));
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM companies_clean WHERE address IS NULL")).isEqualTo(50_000);
        assertThat(output.getOut()).contains("Built table companies_clean").contains("60,000 rows");

        // Running it again rebuilds the table: no duplicates; the source file is never written.
        assertThat(run(source)).isZero();
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM companies_clean")).isEqualTo(60_000);
        assertThat(Files.readAllBytes(source)).isEqualTo(before);
    }

    /**
     * Checked before the copy starts: the column is named, not DuckDB's "Binder Error". The
     * check itself (a missing table too) is AtomicTableBuildTaskletTest's; this is the
     * job's list of the columns it reads, end to end.
     */
    @Test
    void aSourceWithoutAColumnIsNamed(CapturedOutput output) throws Exception {
        Path source = this.dir.resolve("no-phone.duckdb");
        DuckDbFiles.execute(source, "CREATE TABLE companies (company_number VARCHAR, name VARCHAR, sic_codes VARCHAR[],"
                + " address STRUCT(line1 VARCHAR, town VARCHAR, postcode VARCHAR), incorporated_on DATE)");
        assertThat(run(source)).isEqualTo(1);
        assertThat(output.getErr()).contains("Column [phone] not found in table 'source.companies' of " + source)
            .doesNotContain("Binder Error");
    }

}
