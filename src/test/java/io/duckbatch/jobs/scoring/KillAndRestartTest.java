package io.duckbatch.jobs.scoring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.ExpectedScores;
import io.duckbatch.support.TestJobRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
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
 * <p>
 * Nothing here depends on how fast the child runs: kills are placed by counting its
 * progress lines (a chunk or range each), and where a case needs the child to be still
 * running later (a second launch refused, SIGTERM or {@code stop} reaching it mid-task) the
 * child is frozen with SIGSTOP at its first progress line and let go with SIGCONT once the
 * case is ready. All cases read one demo source, generated once.
 */
@Tag("heavy")
class KillAndRestartTest {

    /** Companies of the shared source: a few hundred chunks, so a kill among the first hundred lines is mid-job. */
    private static final int COMPANIES = 100_000;

    /** Tasks of the kill tests: two threads, key ranges. */
    private static final int TASKS = 2 * CompanyScoringJobConfiguration.PARTITIONS_PER_THREAD;

    /** Deadlines that only end a broken case; a working one never comes near them. */
    private static final Duration DEADLINE = Duration.ofMinutes(5);

    @TempDir
    static Path shared;

    private static Path source;

    /** The plain loop's rows for {@link #source}. */
    private static List<List<Object>> expected;

    @TempDir
    Path dir;

    private TestJobRepository repository;

    /** Arguments after the common ones, e.g. the scoring mode. */
    private List<String> extra = List.of();

    /** A source of the case's own, when it changes one; else the shared {@link #source}. */
    private Path ownSource;

    @BeforeAll
    static void generateTheSource() throws Exception {
        source = shared.resolve("source.duckdb");
        new DemoDataGenerator().generate(source, COMPANIES);
        expected = ExpectedScores.compute(source, 0.5);
    }

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
     * The same command every time; {@code serial} for the SIGTERM and stop cases: one task at
     * a time in smaller chunks, so the child is within its first task when frozen.
     */
    private List<String> command(boolean serial) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                DuckbatchApplication.class.getName(), "--duckbatch.data-dir=" + this.dir,
                "--duckbatch.source=" + ((this.ownSource != null) ? this.ownSource : source),
                "--duckbatch.page-size=" + (serial ? 300 : 500), "--duckbatch.chunk-size=500", "--duckbatch.progress-interval=0s",
                "--management.server.port=-1"));
        command.add("--duckbatch.concurrency=" + (serial ? 1 : 2));
        command.addAll(this.repository.arguments());
        command.addAll(this.extra);
        return command;
    }

    /**
     * A child JVM running the job, with its output collected; returns once it has reported
     * progress {@code progressLines} times (a chunk or range each), frozen with SIGSTOP at
     * that line when {@code freeze}.
     */
    private RunningJob start(boolean serial, int progressLines, boolean freeze) throws Exception {
        Process process = new ProcessBuilder(command(serial)).redirectErrorStream(true).start();
        // Forked ahead and waiting: SIGSTOP follows the line at once, not after a fork.
        Process freezer = freeze ? signaller("STOP", process) : null;
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> progress = new CompletableFuture<>();
        AtomicInteger progressSeen = new AtomicInteger();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.contains(" rows (") && progressSeen.incrementAndGet() == progressLines) {
                        if (freezer != null) {
                            signal(freezer);
                        }
                        progress.complete(null);
                    }
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            }
            catch (Exception ex) {
                progress.completeExceptionally(ex);
            }
            progress.completeExceptionally(new IllegalStateException("the job ended before " + progressLines + " progress lines"));
        });
        pump.start();
        try {
            progress.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            process.destroyForcibly();
            throw new AssertionError("no " + progressLines + " progress lines; output: " + lines, ex);
        }
        return new RunningJob(process, lines, pump);
    }

    /** A shell that sends SIG{@code name} to {@code process} once given a line. */
    private static Process signaller(String name, Process process) throws IOException {
        return new ProcessBuilder("bash", "-c", "read -r _ && kill -" + name + " " + process.pid()).start();
    }

    private static void signal(Process signaller) throws IOException, InterruptedException {
        try (OutputStream go = signaller.getOutputStream()) {
            go.write('\n');
        }
        if (!signaller.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS) || signaller.exitValue() != 0) {
            throw new IllegalStateException("kill failed: " + new String(signaller.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void unfreeze(Process process) throws IOException, InterruptedException {
        signal(signaller("CONT", process));
    }

    private record RunningJob(Process process, List<String> lines, Thread pump) {

        /** Its whole output, once it has ended. */
        String output() throws InterruptedException {
            assertThat(this.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the job ended").isTrue();
            this.pump.join(DEADLINE.toMillis());
            assertThat(this.pump.isAlive()).as("its output read to the end").isFalse();
            synchronized (this.lines) {
                return String.join("\n", this.lines);
            }
        }

    }

    /**
     * Runs {@code action} while the child is frozen. A frozen child may hold row locks of the
     * chunk it was committing; when {@code action} waits for one (seen in PostgreSQL's
     * activity, not guessed from time), the child is let go so that it can commit.
     * @return the action's result, and whether the child is still frozen
     */
    private <T> T whileFrozen(Process child, Callable<T> action, boolean[] stillFrozen) throws Exception {
        FutureTask<T> task = new FutureTask<>(action);
        Thread thread = new Thread(task, "while-frozen");
        thread.start();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        stillFrozen[0] = true;
        while (!task.isDone()) {
            assertThat(System.nanoTime()).as("the action ends").isLessThan(deadline);
            if (stillFrozen[0] && this.repository.isPostgres() && this.repository.count("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0) {
                unfreeze(child);
                stillFrozen[0] = false;
            }
            Thread.sleep(10);
        }
        return task.get();
    }

    /** Starts the job and kills it at a random chunk boundary among its first hundred. */
    private void runAndKill(int attempt) throws Exception {
        // Where to kill is counted in chunks, not in time: the point is the same on a busy machine.
        RunningJob running = start(false, ThreadLocalRandom.current().nextInt(1, 100), false);
        assertThat(running.process().isAlive()).as("attempt %d: job still running when killed; output: %s", attempt,
                running.lines()).isTrue();
        running.process().destroyForcibly();
        running.output();
        assertThat(running.process().exitValue()).isEqualTo(137);
    }

    /**
     * Stops the job with SIGTERM (Ctrl-C, a service stop) during its first task, after
     * checking that a second launch on the same data is refused while it runs.
     */
    private String interrupt(int attempt) throws Exception {
        RunningJob running = start(true, 1, true);
        Process process = running.process();
        boolean[] frozen = new boolean[1];
        String refused = whileFrozen(process, () -> {
            Process second = new ProcessBuilder(command(true)).redirectErrorStream(true).start();
            String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as(output).isEqualTo(1);
            return output;
        }, frozen);
        // H2 refuses a second process on its file; a shared PostgreSQL sees the live owner.
        assertThat(refused).contains(this.repository.isPostgres() ? "companyScoring execution 1 is running in pid "
                : "another duckbatch process is using this job repository");
        assertThat(process.isAlive()).as("attempt %d: job still running when stopped; output: %s", attempt, running.lines())
            .isTrue();
        // Through the handle: Process.destroy() would also close our end of its output pipe.
        // SIGTERM waits while the child is frozen; SIGCONT lets it handle it at once.
        process.toHandle().destroy();
        if (frozen[0]) {
            unfreeze(process);
        }
        String output = running.output();
        assertThat(process.exitValue()).as(output).isEqualTo(143);
        return output;
    }

    private String runToTheEnd(boolean serial) throws Exception {
        Process last = new ProcessBuilder(command(serial)).redirectErrorStream(true).start();
        String output = new String(last.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(last.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as(output).isZero();
        return output;
    }

    /**
     * The console of a serial run stopped during its first task (of two, run one after the
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
        assertOutputEquals(expected);
    }

    private void assertOutputEquals(List<List<Object>> expected) throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        assertThat(DuckDbFiles.count(target,
                "SELECT count(*) FROM (SELECT rtic_code, company_number FROM rtic_scores GROUP BY ALL HAVING count(*) > 1)"))
            .isZero();
        assertThat(DuckDbFiles.rows(target, ExpectedScores.ACTUAL_SQL)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void sigtermStopsGracefullyAndTheNextRunResumes(String kind) throws Exception {
        TestJobRepository repository = repository(kind);
        String stopped = interrupt(1);
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
        RunningJob running = start(true, 1, true);
        List<String> stop = new ArrayList<>(List.of("--duckbatch.data-dir=" + this.dir));
        stop.addAll(repository.arguments());
        stop.addAll(List.of("stop", "1"));
        boolean[] frozen = new boolean[1];
        assertThat(whileFrozen(running.process(), () -> DuckbatchApplication.run(stop.toArray(String[]::new)), frozen)).isZero();
        if (frozen[0]) {
            unfreeze(running.process());
        }
        String output = running.output();
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
        // Small ranges: the udf run has 500 ranges to be killed between (or in).
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

    /**
     * The monthly refresh killed midway: after a full run, the source changes (companies
     * renamed, removed, added; a code redefined, so every company is scored again for it),
     * and the incremental run is killed at a random chunk twice (udf mode, then chunk mode).
     * The same command then finishes the same instance, without planning it again, and the
     * target equals a full recompute on the new source: no row lost or duplicated.
     */
    @Test
    void aKilledIncrementalRunEndsEqualToAFullRecompute() throws Exception {
        TestJobRepository repository = repository(TestJobRepository.H2);
        this.ownSource = java.nio.file.Files.copy(source, this.dir.resolve("source.duckdb"));
        assertThat(runToTheEnd(false)).contains("full: every company against every code");
        DuckDbFiles.execute(this.ownSource,
                "UPDATE companies SET name = 'Data Software ' || name WHERE hash(company_number) % 10 = 0",
                "DELETE FROM companies WHERE hash(company_number) % 100 = 1",
                "INSERT INTO companies SELECT * REPLACE ('X' || company_number AS company_number) FROM companies"
                        + " WHERE hash(company_number) % 100 = 2",
                "UPDATE rtic_codes SET keywords = list_append(keywords, 'bakery') WHERE rtic_code = (SELECT min(rtic_code) FROM rtic_codes)");
        this.extra = List.of("--duckbatch.scoring.mode=udf", "--duckbatch.scoring.range-size=200");
        runAndKill(1);
        this.extra = List.of();
        runAndKill(2);

        String output = runToTheEnd(false);

        assertThat(output).contains("Resuming companyScoring execution").doesNotContain("incremental:");
        assertThat(repository.column("SELECT STATUS FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID"))
            .containsExactly("COMPLETED", "FAILED", "FAILED", "COMPLETED");
        assertThat(repository.count("SELECT count(*) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = 'planScoring'")).isEqualTo(2);
        // Interrupted tasks resumed after what they had written, not from their start.
        assertThat(repository.count("SELECT count(*) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME LIKE 'rescoreCompanyRange:%'"
                + " AND STATUS = 'FAILED' AND READ_COUNT > 0")).isPositive();
        assertOutputEquals(ExpectedScores.compute(this.ownSource, 0.5));
    }

}
