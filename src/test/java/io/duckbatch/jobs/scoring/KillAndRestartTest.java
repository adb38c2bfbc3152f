package io.duckbatch.jobs.scoring;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.ExpectedScores;
import io.duckbatch.support.TestJobRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once across a crash: a child JVM running companyScoring is killed with SIGKILL at
 * a random point, twice, and the same command is then run to the end. The interrupted job
 * instance must be continued (not restarted from scratch), and the output must equal an
 * uninterrupted run's: same rows, no duplicates, nothing lost. Each case runs on both job
 * repositories, H2 and PostgreSQL.
 */
class KillAndRestartTest {

    @TempDir
    Path dir;

    private TestJobRepository repository;

    /** Arguments after the common ones, e.g. the scoring mode. */
    private List<String> extra = List.of();

    /** Companies of the kill tests, and their tasks: two threads, key ranges. */
    private static final int COMPANIES = 200_000;

    private static final int TASKS = 2 * CompanyScoringJobConfiguration.PARTITIONS_PER_THREAD;

    private TestJobRepository repository(String kind) throws Exception {
        this.repository = TestJobRepository.open(kind, this.dir);
        return this.repository;
    }

    @AfterEach
    void dropRepository() throws Exception {
        if (this.repository != null) {
            this.repository.close();
        }
    }

    /**
     * The same command every time; {@code slow} for the SIGTERM and stop tests, which spend
     * seconds on a second launch first: one task at a time over more companies in more,
     * smaller chunks (more data, not a slower job), so the first is still running.
     */
    private List<String> command(boolean slow) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                DuckbatchApplication.class.getName(), "--duckbatch.data-dir=" + this.dir,
                "--duckbatch.demo.rows=" + (slow ? 1_000_000 : COMPANIES),
                "--duckbatch.page-size=" + (slow ? 300 : 1000), "--duckbatch.chunk-size=500", "--duckbatch.progress-interval=0s",
                "--management.server.port=-1"));
        command.add("--duckbatch.concurrency=" + (slow ? 1 : 2));
        command.addAll(this.repository.arguments());
        command.addAll(this.extra);
        return command;
    }

    /**
     * A child JVM running the job, with its output collected; returns once it has reported
     * progress {@code progressLines} times (a chunk or range each).
     */
    private RunningJob start(boolean slow, int progressLines) throws Exception {
        Process process = new ProcessBuilder(command(slow)).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> progress = new CompletableFuture<>();
        AtomicInteger progressSeen = new AtomicInteger();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (line.contains(" rows (") && progressSeen.incrementAndGet() >= progressLines) {
                        progress.complete(null);
                    }
                }
            }
            catch (Exception ignored) {
                // the process was killed
            }
        });
        pump.start();
        progress.get(300, TimeUnit.SECONDS);
        return new RunningJob(process, lines, pump);
    }

    private record RunningJob(Process process, List<String> lines, Thread pump) {
    }

    /** Starts the job and kills it at a random chunk boundary among its first hundred. */
    private void runAndKill(int attempt) throws Exception {
        interrupt(attempt, true);
    }

    /**
     * @param hard SIGKILL (a crash) or SIGTERM (Ctrl-C, a service stop); a soft interrupt first
     * checks that a second launch on the same data is refused while the first runs
     */
    private String interrupt(int attempt, boolean hard) throws Exception {
        // Where to interrupt is counted in chunks, not in time: the point is the same on a busy machine.
        RunningJob running = start(!hard, hard ? ThreadLocalRandom.current().nextInt(1, 100) : 1);
        Process process = running.process();
        List<String> lines = running.lines();
        if (!hard) {
            Process second = new ProcessBuilder(command(true)).redirectErrorStream(true).start();
            String refused = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as(refused).isEqualTo(1);
            // H2 refuses a second process on its file; a shared PostgreSQL sees the live owner.
            assertThat(refused).contains(this.repository.isPostgres() ? "companyScoring execution 1 is running in pid "
                    : "another duckbatch process is using this job repository");
        }
        assertThat(process.isAlive()).as("attempt %d: job still running when killed; output: %s", attempt, lines).isTrue();
        if (hard) {
            process.destroyForcibly();
        }
        else {
            // Through the handle: Process.destroy() would also close our end of its output pipe.
            process.toHandle().destroy();
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        running.pump().join(5000);
        assertThat(process.exitValue()).isEqualTo(hard ? 137 : 143);
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    private String runToTheEnd(boolean slow) throws Exception {
        Process last = new ProcessBuilder(command(slow)).redirectErrorStream(true).start();
        String output = new String(last.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(last.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(output).isZero();
        return output;
    }

    /**
     * The console of a slow run stopped during its first task (of two, run one after the
     * other): the rows that task read and wrote, nothing of the task the stop reached before
     * it started but one line counting it, and last what happened, what was done and what next.
     */
    private void assertTheStoppedRunSaysWhatHappened(String output) throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        List<String> lines = output.lines().toList();
        Matcher last = Pattern.compile("\\S+ INFO  companyScoring execution 1 STOPPED after \\d+\\.\\d+ s: ([\\d,]+) rows read,"
                + " ([\\d,]+) written to " + Pattern.quote(target.toString()) + "; run the same command to resume")
            .matcher(lines.get(lines.size() - 1));
        assertThat(last.matches()).as(output).isTrue();
        long read = Long.parseLong(last.group(1).replace(",", ""));
        long written = Long.parseLong(last.group(2).replace(",", ""));
        assertThat(read).isPositive()
            .isEqualTo(this.repository.count("SELECT sum(READ_COUNT) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME LIKE 'scoreCompanyRange:%'"));
        assertThat(written).isEqualTo(DuckDbFiles.count(target, "SELECT count(*) FROM rtic_scores"));
        assertThat(lines.get(lines.size() - 2)).endsWith(" INFO  1 task not started");
        assertThat(output).contains("[scoreCompanyRange:companies-0001] STOPPED: %,d rows read, %,d written".formatted(read, written))
            .contains("Phase timing for scoreCompanyRange:companies-0001")
            .doesNotContain("[scoreCompanyRange:companies-0002] STOPPED")
            .doesNotContain("Phase timing for scoreCompanyRange:companies-0002");
    }

    private void assertOutputEqualsAnUninterruptedRun() throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        assertThat(DuckDbFiles.count(target,
                "SELECT count(*) FROM (SELECT rtic_code, company_number FROM rtic_scores GROUP BY ALL HAVING count(*) > 1)"))
            .isZero();
        assertThat(DuckDbFiles.rows(target, ExpectedScores.ACTUAL_SQL))
            .isEqualTo(ExpectedScores.compute(this.dir.resolve("source.duckdb"), 0.5));
    }

    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void sigtermStopsGracefullyAndTheNextRunResumes(String kind) throws Exception {
        TestJobRepository repository = repository(kind);
        String stopped = interrupt(1, false);
        assertThat(stopped).contains("Shutting down: stopping companyScoring execution 1 after its current chunk");
        assertThat(repository.column("SELECT STATUS FROM BATCH_JOB_EXECUTION")).containsExactly("STOPPED");
        assertTheStoppedRunSaysWhatHappened(stopped);

        assertThat(runToTheEnd(true)).contains("Resuming companyScoring execution 1 (STOPPED, run 1)");
        assertThat(repository.count("SELECT count(*) FROM BATCH_JOB_INSTANCE")).isEqualTo(1);
        assertOutputEqualsAnUninterruptedRun();
    }

    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void killedRunsResumeTheSameInstanceAndEndExactlyOnce(String kind) throws Exception {
        TestJobRepository repository = repository(kind);
        runAndKill(1);
        long rowsAfterFirstKill = DuckDbFiles.count(this.dir.resolve("target.duckdb"), "SELECT count(*) FROM rtic_scores");
        runAndKill(2);

        String output = runToTheEnd(false);

        assertThat(output).contains("Recovering companyScoring execution").contains("Resuming companyScoring execution");
        assertThat(repository.count("SELECT count(*) FROM BATCH_JOB_INSTANCE")).isEqualTo(1);
        assertThat(repository.count("SELECT count(*) FROM BATCH_JOB_EXECUTION")).isEqualTo(3);
        assertThat(repository.column(
                "SELECT STATUS FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID")).containsExactly("FAILED", "FAILED", "COMPLETED");
        // Ids have no gaps from the kills (H2 would otherwise lose its cached sequence values).
        assertThat(repository.column("SELECT JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID"))
            .map(id -> ((Number) id).longValue())
            .containsExactly(1L, 2L, 3L);
        // Every task completed exactly once: tasks completed before a kill were not run again.
        assertThat(repository.column("SELECT STEP_NAME FROM BATCH_STEP_EXECUTION"
                + " WHERE STEP_NAME LIKE 'scoreCompanyRange:%' AND STATUS = 'COMPLETED' GROUP BY STEP_NAME HAVING count(*) = 1"))
            .hasSize(TASKS);
        assertThat(repository.count("SELECT count(*) FROM BATCH_STEP_EXECUTION"
                + " WHERE STEP_NAME LIKE 'scoreCompanyRange:%' AND STATUS = 'COMPLETED'")).isEqualTo(TASKS);
        // An interrupted task resumed mid-table (after its MAX(company_number)), not from the start.
        assertThat(repository.count("SELECT count(*) FROM BATCH_STEP_EXECUTION done"
                + " WHERE done.STATUS = 'COMPLETED' AND done.STEP_NAME LIKE 'scoreCompanyRange:%' AND done.READ_COUNT < " + COMPANIES / TASKS
                + " AND EXISTS (SELECT 1 FROM BATCH_STEP_EXECUTION cut WHERE cut.STEP_NAME = done.STEP_NAME"
                + " AND cut.STATUS = 'FAILED' AND cut.READ_COUNT > 0)")).isPositive();

        assertOutputEqualsAnUninterruptedRun();
        assertThat(rowsAfterFirstKill)
            .isLessThan(DuckDbFiles.count(this.dir.resolve("target.duckdb"), "SELECT count(*) FROM rtic_scores"));
    }

    /**
     * With a shared repository, {@code stop} from another process reaches the running one
     * through the repository: it ends STOPPED at a chunk boundary and the next run resumes it.
     * (An H2 repository is locked by the running process; there Ctrl-C/SIGTERM stops it.)
     */
    @Test
    void stopFromAnotherProcessOnASharedRepository() throws Exception {
        TestJobRepository repository = repository(TestJobRepository.POSTGRES);
        RunningJob running = start(true, 1);
        List<String> stop = new ArrayList<>(List.of("--duckbatch.data-dir=" + this.dir));
        stop.addAll(repository.arguments());
        stop.addAll(List.of("stop", "1"));
        assertThat(DuckbatchApplication.run(stop.toArray(String[]::new))).isZero();
        assertThat(running.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        running.pump().join(5000);
        String output;
        synchronized (running.lines()) {
            output = String.join("\n", running.lines());
        }
        assertThat(running.process().exitValue()).as(output).isEqualTo(1);
        assertThat(repository.column("SELECT STATUS FROM BATCH_JOB_EXECUTION")).containsExactly("STOPPED");
        assertTheStoppedRunSaysWhatHappened(output);

        assertThat(runToTheEnd(true)).contains("Resuming companyScoring execution 1 (STOPPED, run 1)");
        assertThat(repository.column("SELECT STATUS FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID"))
            .containsExactly("STOPPED", "COMPLETED");
        assertOutputEqualsAnUninterruptedRun();
    }

    /**
     * The scoring mode is not part of the job instance, and both modes resume after the
     * destination's MAX(company_number): a run killed in udf mode (perhaps mid-INSERT), then
     * one killed in chunk mode, are finished in udf mode with an uninterrupted run's output.
     */
    @Test
    void killedRunsResumeInEitherScoringMode() throws Exception {
        TestJobRepository repository = repository(TestJobRepository.H2);
        // Small ranges: the udf run has a thousand ranges to be killed between (or in).
        this.extra = List.of("--duckbatch.scoring.mode=udf", "--duckbatch.scoring.range-size=200");
        runAndKill(1);
        this.extra = List.of();
        runAndKill(2);
        this.extra = List.of("--duckbatch.scoring.mode=udf", "--duckbatch.scoring.range-size=5000");

        assertThat(runToTheEnd(false)).contains("Resuming companyScoring execution");
        assertThat(repository.count("SELECT count(*) FROM BATCH_JOB_INSTANCE")).isEqualTo(1);
        assertThat(repository.column("SELECT STATUS FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID"))
            .containsExactly("FAILED", "FAILED", "COMPLETED");
        assertOutputEqualsAnUninterruptedRun();
    }

}
