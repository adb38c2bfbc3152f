package io.duckbatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.TestJobRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line: verbs, exit codes and one-line messages, with a real job repository
 * (H2, and PostgreSQL for the cases that depend on the repository).
 */
@ExtendWith(OutputCaptureExtension.class)
class DuckbatchCliTest {

    @TempDir
    Path dir;

    private TestJobRepository repository;

    @AfterEach
    void dropRepository() throws Exception {
        if (this.repository != null) {
            this.repository.close();
        }
    }

    private TestJobRepository repository(String kind) throws Exception {
        this.repository = TestJobRepository.open(kind, this.dir);
        return this.repository;
    }

    private int cli(String... args) {
        return app("--duckbatch.source=" + this.dir.resolve("s.duckdb"), args);
    }

    /** duckbatch on this test's data dir and repository, with {@code first} before {@code rest}. */
    private int app(String first, String... rest) {
        List<String> all = new ArrayList<>(List.of("--duckbatch.data-dir=" + this.dir, first));
        if (this.repository != null) {
            all.addAll(this.repository.arguments());
        }
        all.addAll(List.of(rest));
        return DuckbatchApplication.run(all.toArray(String[]::new));
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
        // Help and the job list are printed before Spring starts: no log file, no repository.
        assertThat(cli("--help")).isZero();
        assertThat(output.getOut()).contains("executions [job] [--limit N]").doesNotContain("Starting ")
            .contains("143 stopped by SIGTERM, 130 stopped by Ctrl-C");
        assertThat(cli("jobs")).isZero();
        assertThat(output.getOut()).contains("companyScoring     Scores every company against every RTIC code")
            .contains("companyCopy").contains("phoneFeatures").contains("legacyBulkUpdate").contains("companyRegions");
        assertThat(this.dir.resolve("duckbatch.log")).doesNotExist();
        assertThat(this.dir.resolve("jobrepository.mv.db")).doesNotExist();
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
        // A job parameter naming a setting would be recorded without being used: refused.
        assertThat(cli("run", "companyScoring", "source=/etc/passwd")).isEqualTo(2);
        assertThat(output.getErr()).contains("ERROR: Job parameter 'source' is set from duckbatch.source;"
                + " run with --duckbatch.source=/etc/passwd instead");
        assertThat(output.getErr()).contains("ERROR: Unknown verb 'frobnicate'")
            .contains("ERROR: 'abc' is not an execution id")
            .contains("ERROR: --limit takes a positive whole number, was '0'")
            .contains("ERROR: run needs a job name");
    }

    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void aFailedExecutionIsListedRestartedAndAbandoned(String kind, CapturedOutput output) throws Exception {
        TestJobRepository repository = repository(kind);
        writeSource(false);
        assertThat(cli("run", "companyScoring")).isEqualTo(1);
        assertThat(cli("executions", "--limit=5")).isZero();
        assertThat(output.getOut()).containsPattern("\\s1  companyScoring\\s+FAILED");
        assertThat(cli("stop", "1")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: Execution 1 is FAILED, not running: nothing to stop");

        // Restarting on other files than the execution ran on is refused.
        assertThat(app("--duckbatch.source=" + this.dir.resolve("other.duckdb"), "restart", "1")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: Execution 1 ran with source " + this.dir.resolve("s.duckdb")
                + ", not " + this.dir.resolve("other.duckdb") + "; a restart runs on the data it ran on: drop --duckbatch.source="
                + this.dir.resolve("other.duckdb") + ", or start a new execution with 'run'");

        // Fix the cause, restart the very execution without naming its source again: it
        // runs on the source it recorded, and the same instance completes.
        writeSource(true);
        assertThat(app("restart", "1")).isZero();
        assertThat(output.getOut()).contains("Execution 1 ran with source=" + this.dir.resolve("s.duckdb")
                + ": restarting it with those");
        assertThat(repository.column("SELECT STATUS FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID"))
            .containsExactly("FAILED", "COMPLETED");
        assertThat(DuckDbFiles.column(this.dir.resolve("target.duckdb"), "SELECT company_number FROM rtic_scores"))
            .containsExactly("01");

        // A failed run that is abandoned is not resumed: the next run is a new instance.
        writeSource(false);
        assertThat(cli("run", "companyScoring", "batch=b")).isEqualTo(1);
        long failed = repository.count("SELECT max(JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION");
        assertThat(cli("abandon", Long.toString(failed))).isZero();
        assertThat(output.getOut()).contains("Abandoned execution " + failed + " of companyScoring: now ABANDONED");
        writeSource(true);
        assertThat(cli("run", "companyScoring", "batch=b")).isZero();
        assertThat(repository.count("SELECT count(*) FROM BATCH_JOB_INSTANCE")).isEqualTo(3);
    }

    /** Execution 1 failed, then made to look as if its process were still running it. */
    private TestJobRepository executionOneLeftStarted(String kind) throws Exception {
        TestJobRepository repository = repository(kind);
        writeSource(false);
        assertThat(cli("run", "companyScoring")).isEqualTo(1);
        repository.update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STARTED', END_TIME = NULL");
        return repository;
    }

    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void recoverRefusesAnExecutionWhoseProcessIsAlive(String kind, CapturedOutput output) throws Exception {
        // Its recorded owner is this (live) test JVM.
        executionOneLeftStarted(kind);
        assertThat(cli("recover", "1")).isEqualTo(1);
        assertThat(output.getErr()).contains("companyScoring execution 1 is running in pid " + ProcessHandle.current().pid());
        assertThat(cli("run", "companyScoring")).isEqualTo(1);
        assertThat(output.getErr()).contains("not starting it again");
    }

    /**
     * A shared repository: execution 1 is STARTED by a worker on another host, whose pid
     * cannot be checked from here. While its heartbeat is fresh it counts as running; once
     * silent for longer than the timeout it is recovered and resumed.
     */
    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void anExecutionOnAnotherHostIsRecoveredOnlyOnceItsHeartbeatStops(String kind, CapturedOutput output) throws Exception {
        TestJobRepository repository = executionOneLeftStarted(kind);
        repository.update("UPDATE BATCH_EXECUTION_OWNER SET HOST = 'worker-7.example', PID = 4242, HEARTBEAT = CURRENT_TIMESTAMP");
        writeSource(true);

        // A 10-minute timeout: however long a start takes on a busy machine, the heartbeat is far within it.
        String timeout = "--duckbatch.heartbeat.timeout=10m";
        assertThat(cli(timeout, "run", "companyScoring")).isEqualTo(1);
        assertThat(output.getErr()).containsPattern("companyScoring execution 1 is running in pid 4242 on worker-7.example"
                + " \\(last heartbeat \\d+ s ago\\); not starting it again");
        assertThat(cli(timeout, "recover", "1")).isEqualTo(1);
        assertThat(repository.column("SELECT STATUS FROM BATCH_JOB_EXECUTION")).containsExactly("STARTED");

        repository.update("UPDATE BATCH_EXECUTION_OWNER SET HEARTBEAT = CURRENT_TIMESTAMP - INTERVAL '20' MINUTE");
        assertThat(cli(timeout, "run", "companyScoring")).isZero();
        assertThat(output.getOut()).contains("Recovering companyScoring execution 1 left STARTED by dead process pid 4242 on worker-7.example");
        assertThat(repository.column("SELECT STATUS FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID"))
            .containsExactly("FAILED", "COMPLETED");
        assertThat(repository.column("SELECT HOST FROM BATCH_EXECUTION_OWNER ORDER BY JOB_EXECUTION_ID"))
            .containsExactly("worker-7.example", java.net.InetAddress.getLocalHost().getHostName());
    }

    @Test
    void anUnknownJobIsAUsageError(CapturedOutput output) {
        assertThat(DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "--spring.batch.job.name=noSuchJob"))
            .isEqualTo(2);
        assertThat(output.getErr()).contains("ERROR: Unknown job 'noSuchJob' (spring.batch.job.name); jobs in this build: companyCopy, companyImport, companyRegions, companyScoring, legacyBulkUpdate, phoneFeatures");
        assertThat(this.dir.resolve("source.duckdb")).doesNotExist();
    }

    /** Every verb given an id the repository does not have says so in one line. */
    @Test
    void anUnknownExecutionIdIsNamed(CapturedOutput output) {
        for (String verb : List.of("restart", "stop", "abandon", "recover")) {
            assertThat(cli("--management.server.port=-1", verb, "999")).as(verb).isEqualTo(1);
        }
        assertThat(output.getErr().lines().filter(line -> line.startsWith("ERROR")).toList()).hasSize(4)
            .allMatch(line -> line.equals("ERROR: No job execution 999 in the job repository; 'executions' lists them"));
    }

    @Test
    void aBadSettingIsNamed(CapturedOutput output) {
        assertThat(app("--duckbatch.chunk-size=0")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: duckbatch could not start: duckbatch.chunk-size must be at least 1, was 0");
        assertThat(app("--duckbatch.chunk-sise=5")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: duckbatch could not start: unknown setting duckbatch.chunk-sise;"
                + " did you mean duckbatch.chunk-size?");
        assertThat(app("--duckbatch.scoring.treshold=0.3")).isEqualTo(1);
        assertThat(output.getErr()).contains("unknown setting duckbatch.scoring.treshold; did you mean duckbatch.scoring.threshold?");
        assertThat(app("--duckbatch.chunk-size=abc")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: duckbatch could not start: duckbatch.chunk-size: 'abc' is not valid;"
                + " expected a whole number");
        assertThat(app("--duckbatch.scoring.mode=bogus")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: duckbatch could not start: duckbatch.scoring.mode: 'bogus' is not valid;"
                + " expected one of chunk, udf");
        assertThat(app("--duckbatch.scoring.threshold=2")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: duckbatch could not start: duckbatch.scoring.threshold must be at most"
                + " 1.0 (scores run from 0.0 to 1.0), was 2.0");
        assertThat(app("--duckbatch.storage-version=v1.1.0")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: duckbatch could not start: duckbatch.storage-version must be one of"
                + " v1.0.0, v1.2.0, v1.3.0, v1.4.0, v1.5.0, v2.0.0, latest (the oldest DuckDB release that must open"
                + " the files duckbatch creates), was 'v1.1.0'");
        // A job run starts the web server, whose start failure is not repeated on the console.
        assertThat(app("--management.server.port=0", "--duckbatch.chunk-size=0", "run", "companyScoring")).isEqualTo(1);
        assertThat(output.getAll()).doesNotContain("Error starting Tomcat context");
        // Types in words, not Java's names (LocalDate, boolean).
        for (String[] refused : new String[][] {
                { "legacy.incorporated-before=1990-13-01", "'1990-13-01' is not valid; expected a date such as 1990-01-01" },
                { "observe-items=maybe", "'maybe' is not valid; expected true or false" } }) {
            assertThat(app("--duckbatch." + refused[0])).isEqualTo(1);
            assertThat(output.getErr()).contains("ERROR: duckbatch could not start: duckbatch."
                    + refused[0].substring(0, refused[0].indexOf('=')) + ": " + refused[1]);
        }
        assertThat(app("--duckbatch.heartbeat.timeout=15s")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: duckbatch could not start: duckbatch.heartbeat.timeout (15s) must be at"
                + " least 3 x duckbatch.heartbeat.interval (10s)");
    }

    @Test
    void anUnreachableRepositoryIsNamed(CapturedOutput output) throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/duckbatch";
        assertThat(app("--spring.profiles.active=postgres", "--spring.datasource.url=" + url + "?connectTimeout=2")).isEqualTo(1);
        assertThat(output.getErr().lines().filter(line -> line.startsWith("ERROR:")))
            .containsExactly("ERROR: duckbatch could not start: Cannot reach the job repository " + url + ": Connection to 127.0.0.1:"
                    + closedPort + " refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.");
        assertThat(this.dir.resolve("source.duckdb")).doesNotExist();
    }

    /** The log file goes into the data folder: one that cannot be created is named before logging starts. */
    @Test
    void aDataFolderThatCannotBeCreatedIsOneLine(CapturedOutput output) throws Exception {
        Path blocker = Files.writeString(this.dir.resolve("blocker"), "a file where the data folder should be");
        // 'executions' keeps its repository and log file there ('jobs' and --help need no data folder).
        assertThat(DuckbatchApplication.run("--duckbatch.data-dir=" + blocker.resolve("data"), "executions")).isEqualTo(1);
        assertThat(output.getAll().lines().filter(line -> !line.isBlank()))
            .containsExactly("ERROR: duckbatch could not start: Cannot create the data folder " + blocker.resolve("data")
                    + " (duckbatch.data-dir): " + blocker + " is a file, not a folder");
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
