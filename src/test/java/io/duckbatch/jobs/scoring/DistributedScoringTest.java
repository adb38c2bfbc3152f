package io.duckbatch.jobs.scoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.duckbatch.core.remote.PartitionRequests;
import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.ExpectedScores;
import io.duckbatch.support.FrozenChild;
import io.duckbatch.support.TestJobRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.messaging.Message;
import org.springframework.messaging.PollableChannel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A distributed companyScoring on the PostgreSQL job repository, child JVMs on loopback: a
 * manager ({@code run companyScoring --duckbatch.distributed=true}) and two workers of one
 * slot each write exactly the rows a single process writes, and both workers ran partitions.
 * No timing decides that: the first worker is frozen with SIGSTOP as soon as it has claimed a
 * partition, so the second must claim another, and is frozen there too; both are then let go.
 * Skipped, with the warning, without a PostgreSQL server (see TestJobRepository).
 */
@Tag("heavy")
class DistributedScoringTest {

    private static final int COMPANIES = 20_000;

    /** A worker's line once it has claimed a partition. */
    private static final String CLAIMED = "claimed by worker pid";

    /** A task's progress line, after a chunk (every chunk with duckbatch.progress-interval=0s). */
    private static final String PROGRESS = "rows/s, ETA";

    @TempDir
    Path dir;

    private TestJobRepository repository;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopAndDrop() throws Exception {
        for (Process child : this.children) {
            child.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
        }
        if (this.repository != null) {
            this.repository.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "chunk", "udf" })
    void aManagerAndTwoWorkersWriteWhatOneProcessWrites(String mode) throws Exception {
        Path source = generateSource();
        Process manager = startManager(source, "manager.log", "--duckbatch.scoring.mode=" + mode);
        FrozenChild first = FrozenChild.startAndFreezeAt(worker(source), CLAIMED);
        // While the first holds its partition frozen, the second must claim another.
        FrozenChild second = FrozenChild.startAndFreezeAt(worker(source), CLAIMED);
        letGoUntilCompleted(manager, first, second);

        assertWroteWhatOneProcessWrites(source);
        assertThat(this.repository.count("SELECT count(DISTINCT pid) FROM batch_partition_owner")).isEqualTo(2);
        assertThat(this.repository.column("SELECT pid FROM batch_partition_owner")).contains(first.pid(), second.pid());
        assertThat(partitionStatuses()).containsExactly("COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED");
        // The manager's last line counts the rows its workers read, as the repository recorded them.
        String managerLog = Files.readString(this.dir.resolve("manager.log"));
        assertThat(managerLog).containsPattern("companyScoring execution \\d+ COMPLETED in"
                + " [0-9.]+ s: 20,000 rows read, " + String.format(Locale.ROOT, "%,d", ExpectedScores.compute(source, 0.5).size())
                + " written");
        // What the workers did, told by the manager: each partition's end and each worker's totals, and the
        // workers' phases (a task resumes from its target; the manager's own steps do not) in the job's table.
        assertThat(managerLog).containsPattern("\\[scoreCompanyRange:companies-0001\\] COMPLETED: [0-9,]+ rows read, [0-9,]+"
                + " written in [0-9.]+ s \\([0-9,]+ rows/s\\) on worker pid (" + first.pid() + "|" + second.pid() + ") on ");
        for (FrozenChild worker : List.of(first, second)) {
            assertThat(managerLog).containsPattern("\\[scoreCompanies\\] worker pid " + worker.pid() + " on \\S+: [12]"
                    + " partition attempts?, [0-9,]+ rows read");
        }
        assertThat(managerLog.substring(managerLog.indexOf("Phase timing for job companyScoring"))).containsPattern(
                "\n  resume +4 ");
    }

    /**
     * kill -9 of a worker whose shard holds rows: the manager sees its pid gone, marks its
     * partition FAILED and sends it again; the next attempt resumes after the shard's last key.
     * The worker is frozen at its second progress line, so its first chunk's commit is in the
     * repository (the task counts as started there) and its shard holds two chunks.
     */
    @Test
    void aKilledWorkersPartitionRunsAgainFromItsShard() throws Exception {
        Path source = generateSource();
        Process manager = startManager(source, "manager.log");
        FrozenChild doomed = frozenInItsSecondChunk(source);
        String partition = partitionOf(doomed);
        doomed.kill();
        FrozenChild survivor = FrozenChild.startAndFreezeAt(worker(source), CLAIMED);
        letGoUntilCompleted(manager, survivor);

        assertWroteWhatOneProcessWrites(source);
        assertRanAgainFromItsShard(partition, "pid " + doomed.pid());
        assertThat(this.repository.column("SELECT pid FROM batch_partition_owner")).contains(doomed.pid(), survivor.pid());
    }

    /**
     * A worker on "another host" (its claim's host rewritten) that falls silent mid-partition,
     * frozen at its second progress line with its shard open: the manager gives the partition
     * up once the heartbeat is older than its duckbatch.heartbeat.timeout (3 s, configuration
     * only: nothing but the manager waits for it) and sends it again. The next attempt waits
     * for the shard (its worker's timeout, 10 minutes, only ends a broken case); woken, the late
     * worker cannot record its chunk in the repository, stops and lets the shard go, and the
     * next attempt resumes after what the shard holds.
     */
    @Test
    void aSilentWorkerElsewhereIsGivenUpAndCannotSpoilItsPartitionWhenItWakes() throws Exception {
        Path source = generateSource();
        Process manager = startManager(source, "manager.log");
        FrozenChild late = frozenInItsSecondChunk(source);
        String partition = partitionOf(late);
        this.repository.update("UPDATE batch_partition_owner SET host = 'another-host' WHERE pid = " + late.pid());
        FrozenChild next = FrozenChild.startAndFreezeAt(worker(source, "--duckbatch.heartbeat.timeout=10m"), "waits for shard");
        letGoUntilCompleted(manager, late, next);

        assertWroteWhatOneProcessWrites(source);
        // Still the manager's verdict on the first attempt: the late worker's own end was refused.
        assertRanAgainFromItsShard(partition, "on another-host");
    }

    /**
     * kill -9 of the manager while a worker holds its third partition (claimed, not started):
     * the same command again completes, and the two partitions completed before are not run
     * again. The frozen worker's partition, given up by the relaunch, is not run when it wakes.
     */
    @Test
    void aManagerKilledMidJobCompletesWhenLaunchedAgainWithoutRerunningCompletedPartitions() throws Exception {
        Path source = generateSource();
        Process killed = startManager(source, "manager.log");
        FrozenChild late = FrozenChild.startAndFreezeAt(worker(source), CLAIMED, 3);
        killed.destroyForcibly().waitFor();
        List<Object> completedBefore = this.repository.column("SELECT step_name FROM batch_step_execution"
                + " WHERE step_name LIKE 'scoreCompanyRange:%' AND status = 'COMPLETED'");
        assertThat(completedBefore).hasSize(2);

        Process relaunched = startManager(source, "relaunched.log");
        FrozenChild other = FrozenChild.startAndFreezeAt(worker(source), CLAIMED);
        try {
            other.resume();
            assertCompleted(relaunched, "relaunched.log");
            late.resume();
            late.awaitLine("not run: it is FAILED");
        }
        finally {
            late.terminate();
            other.terminate();
        }

        assertWroteWhatOneProcessWrites(source);
        for (Object name : completedBefore) {
            assertThat(this.repository.count("SELECT count(*) FROM batch_step_execution WHERE step_name = '" + name + "'"))
                .as("executions of %s", name)
                .isEqualTo(1);
        }
        assertThat(this.repository.count("SELECT count(*) FROM batch_step_execution WHERE step_name LIKE 'scoreCompanyRange:%'"
                + " AND status = 'COMPLETED'")).isEqualTo(4);
    }

    /**
     * A request delivered twice: the second delivery, taken while the first worker holds the
     * partition (frozen at its claim), is dropped; the partition runs once.
     */
    @Test
    void aDuplicatedRequestRunsItsPartitionOnce() throws Exception {
        Path source = generateSource();
        Process manager = startManager(source, "manager.log");
        FrozenChild first = FrozenChild.startAndFreezeAt(worker(source), CLAIMED);
        long claimed = stepExecutionId(first.output().lines().filter(line -> line.contains(CLAIMED)).findFirst().orElseThrow());
        try (HikariDataSource dataSource = this.repository.dataSource()) {
            PartitionRequests.in(dataSource).send("scoreCompanyRange", claimed);
        }
        // The second worker runs the three other partitions, then takes the duplicate last.
        FrozenChild second = FrozenChild.startAndFreezeAt(worker(source), "dropped: another delivery claimed it");
        letGoUntilCompleted(manager, first, second);

        assertWroteWhatOneProcessWrites(source);
        assertThat(second.output()).contains("Request for partition " + claimed + " dropped");
        assertThat(partitionStatuses()).containsExactly("COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED");
        assertThat(this.repository.column("SELECT pid FROM batch_partition_owner WHERE step_execution_id = " + claimed))
            .containsExactly(first.pid());
    }

    /**
     * A request taken from the queue by a process that dies before claiming its partition (the
     * test takes it and drops it): nobody's heartbeat can speak for the partition; once its
     * request has been out of the queue, unclaimed, for the heartbeat timeout (3 s, only as
     * configuration), the manager sends it again, and the worker runs it with the others.
     */
    @Test
    void aRequestTakenByAProcessThatDiedBeforeClaimingItIsSentAgain() throws Exception {
        Path source = generateSource();
        Process manager = startManager(source, "manager.log");
        long lost;
        try (HikariDataSource dataSource = this.repository.dataSource()) {
            PollableChannel requests = PartitionRequests.in(dataSource).channel();
            Message<?> taken = null;
            while (taken == null) {
                assertThat(manager.isAlive()).as(Files.readString(this.dir.resolve("manager.log"))).isTrue();
                taken = requests.receive(200);
            }
            lost = ((StepExecutionRequest) taken.getPayload()).getStepExecutionId();
        }
        FrozenChild worker = FrozenChild.startAndFreezeAt(worker(source), CLAIMED);
        letGoUntilCompleted(manager, worker);

        assertWroteWhatOneProcessWrites(source);
        assertThat(Files.readString(this.dir.resolve("manager.log"))).containsPattern("Partition scoreCompanyRange:companies-"
                + "\\d+ \\(" + lost + "\\) requested again, attempt 2 of 3: its request left the queue");
        // Run once, by the worker, as the same step execution.
        assertThat(partitionStatuses()).containsExactly("COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED");
        assertThat(this.repository.column("SELECT pid FROM batch_partition_owner WHERE step_execution_id = " + lost))
            .containsExactly(worker.pid());
    }

    private Path generateSource() throws Exception {
        this.repository = TestJobRepository.open(TestJobRepository.POSTGRES, this.dir);
        Path source = this.dir.resolve("source.duckdb");
        new DemoDataGenerator().generate(source, COMPANIES);
        return source;
    }

    private Process startManager(Path source, String log, String... settings) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "companyScoring", "--duckbatch.distributed=true",
                "--duckbatch.concurrency=2", "--duckbatch.source=" + source));
        args.addAll(List.of(settings));
        Process manager = new ProcessBuilder(FrozenChild.duckbatch(arguments(args.toArray(String[]::new))))
            .redirectErrorStream(true)
            .redirectOutput(this.dir.resolve(log).toFile())
            .start();
        this.children.add(manager);
        return manager;
    }

    private List<String> worker(Path source, String... settings) {
        List<String> args = new ArrayList<>(List.of("worker", "--duckbatch.worker.slots=1", "--duckbatch.source=" + source));
        args.addAll(List.of(settings));
        return FrozenChild.duckbatch(arguments(args.toArray(String[]::new)));
    }

    /** Lets the frozen workers go, waits until the manager (its log manager.log) has completed, stops the workers. */
    private void letGoUntilCompleted(Process manager, FrozenChild... workers) throws Exception {
        try {
            for (FrozenChild worker : workers) {
                worker.resume();
            }
            assertCompleted(manager, "manager.log");
        }
        finally {
            for (FrozenChild worker : workers) {
                worker.terminate();
            }
        }
    }

    private void assertCompleted(Process manager, String log) throws Exception {
        assertThat(manager.waitFor(5, TimeUnit.MINUTES)).as("manager ended").isTrue();
        assertThat(manager.exitValue()).as(Files.readString(this.dir.resolve(log))).isZero();
    }

    private void assertWroteWhatOneProcessWrites(Path source) throws Exception {
        assertThat(DuckDbFiles.rows(this.dir.resolve("target.duckdb"), ExpectedScores.ACTUAL_SQL))
            .isEqualTo(ExpectedScores.compute(source, 0.5));
        assertThat(this.dir.resolve("shards")).isEmptyDirectory();
    }

    private List<Object> partitionStatuses() throws Exception {
        return this.repository.column("SELECT status FROM batch_step_execution WHERE step_name LIKE 'scoreCompanyRange:%'");
    }

    /**
     * A worker of one slot frozen at its second progress line: its first chunk is recorded in
     * the repository (the task counts as started there), its shard holds two.
     */
    private FrozenChild frozenInItsSecondChunk(Path source) throws Exception {
        return FrozenChild.startAndFreezeAt(worker(source, "--duckbatch.progress-interval=0s"), PROGRESS, 2);
    }

    /** The partition of a worker's progress lines: "[scoreCompanyRange:companies-0002] 2,047 / 5,000 rows ...". */
    private static String partitionOf(FrozenChild worker) {
        String line = worker.output().lines().filter(printed -> printed.contains(PROGRESS)).findFirst().orElseThrow();
        return line.substring(line.indexOf('[') + 1, line.indexOf(']'));
    }

    /**
     * The partition's first attempt FAILED, its exit message naming the gone worker; the second
     * COMPLETED, reading fewer companies than the range: the other partitions ran once each,
     * reading their whole ranges, so the range is what they left.
     */
    private void assertRanAgainFromItsShard(String partition, String goneWorker) throws Exception {
        String attempts = "FROM batch_step_execution WHERE step_name = '" + partition + "'";
        assertThat(this.repository.column("SELECT status " + attempts + " ORDER BY step_execution_id"))
            .containsExactly("FAILED", "COMPLETED");
        assertThat(this.repository.column("SELECT exit_message " + attempts + " AND status = 'FAILED'").get(0).toString())
            .contains(goneWorker, "is gone");
        long range = COMPANIES - this.repository.count("SELECT sum(read_count) FROM batch_step_execution WHERE step_name LIKE"
                + " 'scoreCompanyRange:%' AND step_name <> '" + partition + "'");
        assertThat(this.repository.count("SELECT read_count " + attempts + " AND status = 'COMPLETED'")).isLessThan(range);
    }

    /** "Partition scoreCompanyRange:companies-0001 (17) claimed by ..." holds the step execution id. */
    private static long stepExecutionId(String claimLine) {
        return Long.parseLong(claimLine.substring(claimLine.indexOf('(') + 1, claimLine.indexOf(')')));
    }

    private List<String> arguments(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--duckbatch.data-dir=" + this.dir, "--duckbatch.chunk-size=2048", "--duckbatch.page-size=2048",
                "--management.server.port=-1", "--duckbatch.heartbeat.interval=1s"));
        // A short timeout unless the command sets one, only as configuration: on this host a gone worker is told by its pid.
        if (all.stream().noneMatch(arg -> arg.startsWith("--duckbatch.heartbeat.timeout="))) {
            all.add("--duckbatch.heartbeat.timeout=3s");
        }
        all.addAll(this.repository.arguments());
        return all;
    }

}
