package io.duckbatch.core.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.StorageVersion;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.util.FileSystemUtils;

/**
 * The DuckDB database a partition writes to. In one process, the job's target: its tasks
 * share it. In a distributed run, a shard of its own: DuckDB lets one process write a file,
 * so every partition writes {@code <shard-dir>/<job>-<instance id>/<partition>.duckdb}
 * (the shard folder is shared by all hosts), and a final step of the manager builds the
 * target's table from the shards ({@link #shards}) and removes them ({@link #removeShards}).
 *
 * <p>Restart contract: a shard is named after the job instance and the partition, not the
 * attempt, so a partition run again (after a failure, a stop, or its worker's death) opens
 * the shard its earlier attempt wrote and resumes after its {@code MAX(key)}, as a task does
 * in the target in one process. Register this as a listener of the partition's step: a shard
 * is closed (its file released for the manager to read) when its step execution ends. An
 * attempt the manager gave up (its worker seemed gone) cannot write a shard a later attempt
 * has opened: the shard records the attempts that opened it and refuses older ones.
 */
public final class PartitionTarget implements StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionTarget.class);

    /** Time between two tries to open a shard another process holds. */
    private static final Duration LOCK_RETRY = Duration.ofMillis(200);

    /** The shard's table of the attempts (step execution ids) that opened it. */
    private static final String ATTEMPTS = "duckbatch_shard_attempts";

    private final DuckDbDataSource target;

    private final Path shardDir;

    private final StorageVersion storageVersion;

    private final Duration lockWait;

    private final Map<Long, DuckDbDataSource> open = new ConcurrentHashMap<>();

    private PartitionTarget(DuckDbDataSource target, Path shardDir, StorageVersion storageVersion, Duration lockWait) {
        this.target = target;
        this.shardDir = shardDir;
        this.storageVersion = storageVersion;
        this.lockWait = lockWait;
    }

    /** One process: every partition writes the job's target. */
    public static PartitionTarget shared(DuckDbDataSource target) {
        return new PartitionTarget(target, null, null, null);
    }

    /**
     * Distributed: every partition writes a shard under {@code shardDir}, created in
     * {@code storageVersion}. An attempt that finds its shard held by another process (an
     * earlier attempt, given up, that has not reached its next chunk yet) waits for it up to
     * {@code lockWait}.
     */
    public static PartitionTarget sharded(Path shardDir, StorageVersion storageVersion, Duration lockWait) {
        if (shardDir == null || storageVersion == null || lockWait == null || lockWait.isNegative()) {
            throw new IllegalArgumentException("Sharded partition targets need the shard folder (duckbatch.shard-dir, on storage"
                    + " every host shares), the storage version of new files and how long to wait for a shard another"
                    + " process holds (duckbatch.heartbeat.timeout), was " + lockWait);
        }
        return new PartitionTarget(null, shardDir.toAbsolutePath().normalize(), storageVersion, lockWait);
    }

    public boolean isSharded() {
        return this.shardDir != null;
    }

    /**
     * The database {@code partition} writes to. A shard is opened on the first call of its
     * step execution, and {@code setup} (e.g. the CREATE TABLE IF NOT EXISTS of the tables
     * the partition writes) runs on it then; the shared target was set up by the job.
     */
    public DuckDbDataSource of(StepExecution partition, String... setup) {
        if (!isSharded()) {
            return this.target;
        }
        return this.open.computeIfAbsent(partition.getId(), id -> openShard(partition, setup));
    }

    /** The shards of a distributed run's job instance, in partition order; none in one process. */
    public List<Path> shards(JobExecution job) throws IOException {
        if (!isSharded() || !Files.isDirectory(folder(job))) {
            return List.of();
        }
        Path folder = folder(job);
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".duckdb")).sorted().toList();
        }
    }

    /** Deletes the shard folder of the run's job instance, once its shards are in the target. */
    public void removeShards(JobExecution job) throws IOException {
        if (isSharded()) {
            FileSystemUtils.deleteRecursively(folder(job));
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution partition) {
        DuckDbDataSource shard = this.open.remove(partition.getId());
        if (shard != null) {
            try {
                shard.close();
            }
            catch (SQLException ex) {
                throw new IllegalStateException("Cannot close shard " + shard + ": " + ex.getMessage(), ex);
            }
        }
        return null;
    }

    private DuckDbDataSource openShard(StepExecution partition, String... setup) {
        // "scoreCompanyRange:companies-0001": a file name on every file system.
        String name = partition.getStepName().replaceAll("[^A-Za-z0-9_.-]", "_");
        DuckDbDataSource shard = DuckDbDataSource.readWrite(folder(partition.getJobExecution()).resolve(name + ".duckdb"),
                this.storageVersion);
        long deadline = System.nanoTime() + this.lockWait.toNanos();
        boolean said = false;
        while (true) {
            try (Connection connection = shard.getConnection(); Statement statement = connection.createStatement()) {
                for (String sql : setup) {
                    statement.execute(sql);
                }
                recordAttempt(statement, partition, shard);
                return shard;
            }
            catch (SQLException ex) {
                closeQuietly(shard, ex);
                if (!heldByAnotherProcess(ex) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Cannot prepare shard " + shard + ": " + ex.getMessage(), ex);
                }
                if (!said) {
                    said = true;
                    log.info("Partition {} ({}) waits for shard {}: another process holds it (an earlier attempt stops at its"
                            + " next chunk); for up to {} (duckbatch.heartbeat.timeout)", partition.getStepName(),
                            partition.getId(), shard, this.lockWait);
                }
                sleep(LOCK_RETRY);
            }
            catch (RuntimeException superseded) {
                closeQuietly(shard, superseded);
                throw superseded;
            }
        }
    }

    /** DuckDB's refusal to open a file another process has open for writing. */
    private static boolean heldByAnotherProcess(SQLException ex) {
        return ex.getMessage() != null && ex.getMessage().contains("Could not set lock on file");
    }

    private static void closeQuietly(DuckDbDataSource shard, Exception failure) {
        try {
            shard.close();
        }
        catch (SQLException closing) {
            failure.addSuppressed(closing);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a shard", ex);
        }
    }

    /**
     * The fence against a late attempt: records in the shard the step execution that opens it,
     * and refuses one older than an attempt that opened it already (the manager gave the older
     * one up, see RemotePartitionHandler). Step execution ids grow, and DuckDB lets one process
     * at a time open the file, so the check and the record are one step; the resume point is
     * read after them.
     */
    private static void recordAttempt(Statement statement, StepExecution partition, DuckDbDataSource shard)
            throws SQLException {
        statement.execute("CREATE TABLE IF NOT EXISTS " + ATTEMPTS + " (step_execution_id BIGINT NOT NULL)");
        try (ResultSet latest = statement.executeQuery("SELECT max(step_execution_id) FROM " + ATTEMPTS)) {
            latest.next();
            long newest = latest.getLong(1);
            if (newest > partition.getId()) {
                throw new IllegalStateException("Partition " + partition.getStepName() + " (" + partition.getId()
                        + ") was run again as " + newest + ", which opened shard " + shard + ": this attempt writes nothing");
            }
        }
        statement.execute("INSERT INTO " + ATTEMPTS + " VALUES (" + partition.getId() + ")");
    }

    private Path folder(JobExecution job) {
        return this.shardDir.resolve(job.getJobInstance().getJobName() + "-" + job.getJobInstance().getInstanceId());
    }

}
