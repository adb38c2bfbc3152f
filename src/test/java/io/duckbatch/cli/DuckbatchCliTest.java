package io.duckbatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.JobRepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: verbs, exit codes and one-line messages, with the real H2 job repository. */
@ExtendWith(OutputCaptureExtension.class)
class DuckbatchCliTest {

    @TempDir
    Path dir;

    private int cli(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--duckbatch.data-dir=" + this.dir;
        all[1] = "--duckbatch.source=" + this.dir.resolve("s.duckdb");
        System.arraycopy(args, 0, all, 2, args.length);
        return DuckbatchApplication.run(all);
    }

    private void writeSource(boolean withCompanies) throws Exception {
        Files.deleteIfExists(this.dir.resolve("s.duckdb"));
        DuckDbFiles.execute(this.dir.resolve("s.duckdb"),
                "CREATE TABLE rtic_codes (rtic_code VARCHAR, label VARCHAR, keywords VARCHAR[], sic_prefixes VARCHAR[])",
                "INSERT INTO rtic_codes VALUES ('R1', 'Software', ['software'], ['62'])");
        if (withCompanies) {
            DuckDbFiles.execute(this.dir.resolve("s.duckdb"),
                    "CREATE TABLE companies (company_number VARCHAR, name VARCHAR, sic_codes VARCHAR[])",
                    "INSERT INTO companies VALUES ('01', 'Acme Software Ltd', ['62012']), ('02', 'Bakery Ltd', ['10710'])");
        }
    }

    @Test
    void jobsAndHelpNeedNoJob(CapturedOutput output) {
        assertThat(cli("jobs")).isZero();
        assertThat(output.getOut()).contains("companyScoring     Scores every company against every RTIC code")
            .contains("companyCopy").contains("phoneFeatures").contains("legacyBulkUpdate").contains("companyRegions");
        assertThat(cli("--help")).isZero();
        assertThat(output.getOut()).contains("executions [job] [--limit N]");
        assertThat(cli("restart", "--help")).isZero();
        assertThat(output.getOut()).contains("usage: java -jar duckbatch.jar restart <executionId>");
        assertThat(this.dir.resolve("s.duckdb")).doesNotExist();
    }

    @Test
    void usageErrorsExitWithTwo(CapturedOutput output) {
        assertThat(cli("frobnicate")).isEqualTo(2);
        assertThat(cli("restart", "abc")).isEqualTo(2);
        assertThat(cli("executions", "--limit", "0")).isEqualTo(2);
        assertThat(cli("run")).isEqualTo(2);
        assertThat(output.getErr()).contains("ERROR: Unknown verb 'frobnicate'")
            .contains("ERROR: 'abc' is not an execution id")
            .contains("ERROR: --limit takes a positive whole number, was '0'")
            .contains("ERROR: run needs a job name");
    }

    @Test
    void aFailedExecutionIsListedRestartedAndAbandoned(CapturedOutput output) throws Exception {
        writeSource(false);
        assertThat(cli("run", "companyScoring")).isEqualTo(1);
        assertThat(cli("executions", "--limit=5")).isZero();
        assertThat(output.getOut()).containsPattern("\\s1  companyScoring\\s+FAILED");
        assertThat(cli("stop", "1")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: Execution 1 is FAILED, not running: nothing to stop");

        // Restarting on other files than the execution ran on is refused.
        assertThat(DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "--duckbatch.source=" + this.dir.resolve("other.duckdb"),
                "restart", "1")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: Execution 1 ran with source " + this.dir.resolve("s.duckdb")
                + ", not " + this.dir.resolve("other.duckdb") + "; restart it with --duckbatch.source=" + this.dir.resolve("s.duckdb"));

        // Fix the cause, restart the very execution: the same instance completes.
        writeSource(true);
        assertThat(cli("restart", "1")).isZero();
        assertThat(JobRepositoryFiles.column(this.dir, "SELECT STATUS FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID"))
            .containsExactly("FAILED", "COMPLETED");
        assertThat(DuckDbFiles.column(this.dir.resolve("target.duckdb"), "SELECT company_number FROM rtic_scores"))
            .containsExactly("01");

        // A failed run that is abandoned is not resumed: the next run is a new instance.
        writeSource(false);
        assertThat(cli("run", "companyScoring", "batch=b")).isEqualTo(1);
        long failed = JobRepositoryFiles.count(this.dir, "SELECT max(JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION");
        assertThat(cli("abandon", Long.toString(failed))).isZero();
        assertThat(output.getOut()).contains("Abandoned execution " + failed + " of companyScoring: now ABANDONED");
        writeSource(true);
        assertThat(cli("run", "companyScoring", "batch=b")).isZero();
        assertThat(JobRepositoryFiles.count(this.dir, "SELECT count(*) FROM BATCH_JOB_INSTANCE")).isEqualTo(3);
    }

    @Test
    void recoverRefusesAnExecutionWhoseProcessIsAlive(CapturedOutput output) throws Exception {
        writeSource(false);
        assertThat(cli("run", "companyScoring")).isEqualTo(1);
        // Pretend execution 1 is still running: its recorded owner is this (live) test JVM.
        JobRepositoryFiles.update(this.dir, "UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STARTED', END_TIME = NULL");
        assertThat(cli("recover", "1")).isEqualTo(1);
        assertThat(output.getErr()).contains("companyScoring execution 1 is running in pid " + ProcessHandle.current().pid());
        assertThat(cli("run", "companyScoring")).isEqualTo(1);
        assertThat(output.getErr()).contains("not starting it again");
    }

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
