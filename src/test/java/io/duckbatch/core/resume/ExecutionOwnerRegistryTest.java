package io.duckbatch.core.resume;

import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;
import io.duckbatch.support.TestJobRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Owner rows and heartbeats in a real job repository database, H2 and PostgreSQL. Heartbeats
 * are called directly (the schedule's interval is an hour), so no case depends on when the
 * heartbeat thread gets to run; one case checks that the schedule does run it.
 */
class ExecutionOwnerRegistryTest {

    /** Longer than any test: the scheduled heartbeat never runs during one. */
    private static final Duration NEVER = Duration.ofHours(1);

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private TestJobRepository repository;

    private HikariDataSource dataSource;

    private ExecutionOwnerRegistry registry;

    private ExecutionOwnerRegistry open(String kind) throws Exception {
        return open(kind, NEVER);
    }

    private ExecutionOwnerRegistry open(String kind, Duration interval) throws Exception {
        this.repository = TestJobRepository.open(kind, this.dir);
        this.dataSource = this.repository.dataSource();
        this.registry = new ExecutionOwnerRegistry(this.dataSource, "BATCH_", interval, TIMEOUT);
        this.registry.createTableIfMissing();
        this.registry.createTableIfMissing();
        return this.registry;
    }

    @AfterEach
    void close() throws Exception {
        if (this.registry != null) {
            this.registry.close();
            this.dataSource.close();
        }
        if (this.repository != null) {
            this.repository.close();
        }
    }

    private static JobExecution execution(long id, LocalDateTime created) {
        JobExecution execution = new JobExecution(id, new JobInstance(id, "someJob"), new JobParameters());
        execution.setStatus(BatchStatus.STARTED);
        execution.setCreateTime(created);
        return execution;
    }

    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void aRunningExecutionBeatsUntilItEnds(String kind) throws Exception {
        ExecutionOwnerRegistry registry = open(kind);
        JobExecution execution = execution(7, LocalDateTime.now());
        registry.beforeJob(execution);
        ExecutionOwner owner = registry.ownerOf(7).orElseThrow();
        assertThat(owner.host()).isEqualTo(InetAddress.getLocalHost().getHostName());
        assertThat(owner.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(registry.mayBeRunning(execution)).isTrue();

        // Pretend the last beat was long ago: the next beat brings it back.
        backdateHeartbeats();
        registry.beat();
        assertThat(registry.ownerOf(7).orElseThrow().sinceHeartbeat()).isLessThan(Duration.ofMinutes(4));

        // Once the job has ended it no longer beats.
        registry.afterJob(execution);
        backdateHeartbeats();
        registry.beat();
        assertThat(registry.ownerOf(7).orElseThrow().sinceHeartbeat()).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
    }

    /** The constructor schedules the heartbeat: a running execution's beat comes without being called. */
    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void theHeartbeatIsScheduled(String kind) throws Exception {
        ExecutionOwnerRegistry registry = open(kind, Duration.ofMillis(20));
        registry.beforeJob(execution(8, LocalDateTime.now()));
        backdateHeartbeats();
        // Waits for the beat however busy the machine is; the deadline only ends a broken schedule.
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (registry.ownerOf(8).orElseThrow().sinceHeartbeat().compareTo(Duration.ofMinutes(4)) > 0) {
            assertThat(System.nanoTime()).as("no heartbeat within two minutes").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private void backdateHeartbeats() throws Exception {
        this.repository.update("UPDATE BATCH_EXECUTION_OWNER SET HEARTBEAT = CURRENT_TIMESTAMP - INTERVAL '5' MINUTE");
    }

    /**
     * Owners of ids {@code first} to {@code first + 2}: a dead pid on this host with a fresh
     * heartbeat, another host that beat a minute ago, another silent for 20 minutes.
     * @return the dead pid
     */
    private long insertOwners(String table, long first) throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        this.repository.update("INSERT INTO " + table + " VALUES"
                + " (" + first + ", '" + InetAddress.getLocalHost().getHostName() + "', " + dead.pid() + ", CURRENT_TIMESTAMP),"
                + " (" + (first + 1) + ", 'worker-2', 99, CURRENT_TIMESTAMP - INTERVAL '1' MINUTE),"
                + " (" + (first + 2) + ", 'worker-3', 99, CURRENT_TIMESTAMP - INTERVAL '20' MINUTE)");
        return dead.pid();
    }

    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void livenessOfOwnersHereElsewhereAndUnrecorded(String kind) throws Exception {
        ExecutionOwnerRegistry registry = open(kind);
        insertOwners("BATCH_EXECUTION_OWNER", 1);
        LocalDateTime now = LocalDateTime.now();

        // Same host: the pid decides, even with a fresh heartbeat.
        assertThat(registry.mayBeRunning(execution(1, now))).isFalse();
        // Another host: the heartbeat decides, against the 10-minute timeout (margins of minutes, not seconds).
        assertThat(registry.mayBeRunning(execution(2, now))).isTrue();
        assertThat(registry.mayBeRunning(execution(3, now))).isFalse();
        // No owner recorded: running only while its process may still be recording itself.
        assertThat(registry.mayBeRunning(execution(4, now))).isTrue();
        assertThat(registry.mayBeRunning(execution(4, now.minusMinutes(20)))).isFalse();
        // Not running at all.
        JobExecution failed = execution(2, now);
        failed.setStatus(BatchStatus.FAILED);
        assertThat(registry.mayBeRunning(failed)).isFalse();
        assertThat(this.repository.column("SELECT JOB_EXECUTION_ID FROM BATCH_EXECUTION_OWNER ORDER BY 1"))
            .isEqualTo(List.of(1L, 2L, 3L));
    }

    private static Optional<ExecutionOwner> gone(ExecutionOwnerRegistry partitions, long id) {
        return partitions.ownerOf(id).filter(partitions::isGone);
    }

    /** A partition's owner, as the manager sees it: gone once its pid is dead here or its beat is silent elsewhere. */
    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void goneOwnersOfPartitions(String kind) throws Exception {
        open(kind).close();
        ExecutionOwnerRegistry partitions = ExecutionOwnerRegistry.forPartitions(this.dataSource, "BATCH_", NEVER, TIMEOUT);
        try {
            partitions.createTableIfMissing();
            assertThat(partitions.claim(11)).isTrue();
            long dead = insertOwners("BATCH_PARTITION_OWNER", 12);

            assertThat(gone(partitions, 11)).isEmpty();
            assertThat(gone(partitions, 12).orElseThrow().pid()).isEqualTo(dead);
            assertThat(gone(partitions, 13)).isEmpty();
            assertThat(gone(partitions, 14).orElseThrow().host()).isEqualTo("worker-3");
            // Not claimed yet: its request waits for a free worker slot, however long.
            assertThat(gone(partitions, 15)).isEmpty();
            // No session of the gone worker is open (on H2, none is ever looked for).
            assertThat(partitions.endSessions(gone(partitions, 14).orElseThrow())).isZero();
        }
        finally {
            partitions.close();
        }
    }

    /**
     * A worker frozen or cut off between writing a row and committing holds the row's lock
     * until its session ends: the sessions of an owner given up on are ended, found by their
     * name, and no other; its uncommitted write is rolled back and the row is free.
     */
    @Test
    void theSessionsOfAGoneOwnerAreEndedAndNoOther() throws Exception {
        ExecutionOwnerRegistry registry = open(TestJobRepository.POSTGRES);
        insertOwners("BATCH_EXECUTION_OWNER", 1);
        ExecutionOwner alive = registry.ownerOf(2).orElseThrow();
        ExecutionOwner gone = registry.ownerOf(3).orElseThrow();
        assertThat(registry.isGone(alive)).isFalse();
        assertThat(registry.isGone(gone)).isTrue();
        try (Connection frozen = session(gone); Connection other = session(alive);
                Connection manager = this.dataSource.getConnection()) {
            frozen.setAutoCommit(false);
            other.setAutoCommit(false);
            assertThat(update(frozen, "UPDATE BATCH_EXECUTION_OWNER SET HEARTBEAT = CURRENT_TIMESTAMP WHERE JOB_EXECUTION_ID = 3"))
                .isOne();
            assertThat(update(other, "UPDATE BATCH_EXECUTION_OWNER SET PID = 98 WHERE JOB_EXECUTION_ID = 2")).isOne();

            assertThat(registry.endSessions(gone)).isOne();

            // A bound on the wait, so that a row still locked fails the case instead of hanging it.
            update(manager, "SET lock_timeout = '2min'");
            assertThat(update(manager, "UPDATE BATCH_EXECUTION_OWNER SET PID = 100 WHERE JOB_EXECUTION_ID = 3")).isOne();
            assertThatThrownBy(() -> update(frozen, "SELECT 1")).isInstanceOf(SQLException.class);
            other.commit();
        }
        // The frozen write was rolled back (still silent for 20 minutes); the other session's committed.
        assertThat(registry.ownerOf(3).orElseThrow().sinceHeartbeat()).isGreaterThan(Duration.ofMinutes(19));
        assertThat(registry.ownerOf(3).orElseThrow().pid()).isEqualTo(100);
        assertThat(registry.ownerOf(2).orElseThrow().pid()).isEqualTo(98);
    }

    /** A session named as {@code owner}'s process names its sessions of the repository. */
    private Connection session(ExecutionOwner owner) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", this.repository.user());
        properties.setProperty("password", this.repository.password());
        properties.setProperty("ApplicationName", owner.sessionName());
        return DriverManager.getConnection(this.repository.url(), properties);
    }

    private static int update(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.execute(sql) ? 0 : statement.getUpdateCount();
        }
    }

}
