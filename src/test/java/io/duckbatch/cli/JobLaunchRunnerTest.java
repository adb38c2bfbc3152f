package io.duckbatch.cli;

import java.nio.file.Path;

import io.duckbatch.DuckbatchApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Exit codes and the terminal's one-line messages when a run cannot start. */
@ExtendWith(OutputCaptureExtension.class)
class JobLaunchRunnerTest {

    @TempDir
    Path dir;

    @Test
    void anUnknownJobIsAUsageError(CapturedOutput output) {
        assertThat(DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "--spring.batch.job.name=noSuchJob"))
            .isEqualTo(2);
        assertThat(output.getErr()).contains("ERROR: Unknown job 'noSuchJob' (spring.batch.job.name); jobs in this build: companyCopy, companyRegions, companyScoring, legacyBulkUpdate, phoneFeatures");
        assertThat(this.dir.resolve("source.duckdb")).doesNotExist();
    }

    @Test
    void aBadSettingIsNamed(CapturedOutput output) {
        assertThat(DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "--duckbatch.chunk-size=0")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: duckbatch could not start: duckbatch.chunk-size must be at least 1, was 0");
    }

    @Test
    void aFailedStartIsOneLineNamingTheCause(CapturedOutput output) {
        assertThat(DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir,
                "--spring.datasource.url=jdbc:duckdb:" + this.dir.resolve("repo.duckdb"),
                "--spring.datasource.driver-class-name=org.duckdb.DuckDBDriver", "--spring.batch.jdbc.platform=postgresql"))
            .isEqualTo(1);
        assertThat(output.getErr().lines().filter(line -> line.startsWith("ERROR:")))
            .containsExactly("ERROR: duckbatch could not start: DatabaseType not found for product name: [DuckDB]");
        assertThat(output.getOut()).doesNotContain("Exception encountered during context initialization")
            .doesNotContain("\tat org.springframework");
    }

}
