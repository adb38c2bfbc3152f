package io.duckbatch.core.resume;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Records, in the job repository database, which process owns each job execution it starts
 * (host and pid) and keeps a heartbeat per running execution; {@link #forPartitions} does the
 * same for the partitions (step executions) a remote-partitioning worker runs, in a table of
 * their own, where recording the owner is also the claim that makes a partition run once. With a repository shared by
 * several hosts this is what tells a crashed execution, whose heartbeat stopped, from one
 * really running elsewhere: Spring Batch's STARTED status alone cannot.
 *
 * <p>Its table, {@code <prefix>EXECUTION_OWNER}, sits beside Spring Batch's and is created
 * on first use. Heartbeats use the database's clock on both sides.
 */
public class ExecutionOwnerRegistry implements JobExecutionListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExecutionOwnerRegistry.class);

    /** SQLSTATE of a duplicate primary key, in PostgreSQL and H2 alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    private final String table;

    private final String idColumn;

    private final Duration timeout;

    private final Set<Long> running = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService heartbeat;

    /**
     * @param tablePrefix Spring Batch's table prefix ({@code BATCH_} by default)
     * @param interval time between two heartbeats of a running execution
     * @param timeout silence after which an owner on another host counts as dead
     */
    public ExecutionOwnerRegistry(DataSource dataSource, String tablePrefix, Duration interval, Duration timeout) {
        this(dataSource, tablePrefix + "EXECUTION_OWNER", "JOB_EXECUTION_ID", interval, timeout);
    }

    private ExecutionOwnerRegistry(DataSource dataSource, String table, String idColumn, Duration interval, Duration timeout) {
        this.dataSource = dataSource;
        this.table = table;
        this.idColumn = idColumn;
        this.timeout = timeout;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "duckbatch-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        this.heartbeat.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The owners of partitions (step executions), {@code <prefix>PARTITION_OWNER}: a worker
     * {@link #claim claims} a partition before running it and beats its heartbeat until it
     * {@link #release releases} it.
     */
    public static ExecutionOwnerRegistry forPartitions(DataSource dataSource, String tablePrefix, Duration interval,
            Duration timeout) {
        return new ExecutionOwnerRegistry(dataSource, tablePrefix + "PARTITION_OWNER", "STEP_EXECUTION_ID", interval, timeout);
    }

    /** Creates the owner table when the repository does not have it yet. */
    public void createTableIfMissing() {
        String ddl = "CREATE TABLE IF NOT EXISTS " + this.table + " (" + this.idColumn + " BIGINT NOT NULL PRIMARY KEY,"
                + " HOST VARCHAR(255) NOT NULL, PID BIGINT NOT NULL, HEARTBEAT TIMESTAMP WITH TIME ZONE NOT NULL)";
        RepositoryTables.createIfMissing(this.dataSource, "the job repository table " + this.table, ddl);
    }

    /** Records this process as the owner before the first step runs, and starts its heartbeat. */
    @Override
    public void beforeJob(JobExecution jobExecution) {
        if (!claim(jobExecution.getId())) {
            throw new IllegalStateException("Execution " + jobExecution.getId() + " already has an owner in " + this.table);
        }
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        release(jobExecution.getId());
    }

    /**
     * Records this process as the owner of {@code id} and starts its heartbeat, unless an
     * owner is recorded already (then false: another process, or an earlier delivery of the
     * same request, has it). One INSERT against the primary key: of two processes claiming
     * at once, one wins.
     */
    public boolean claim(long id) {
        String sql = "INSERT INTO " + this.table + " (" + this.idColumn + ", HOST, PID, HEARTBEAT) VALUES (?, ?, ?, CURRENT_TIMESTAMP)";
        try {
            update(sql, id, ExecutionOwner.LOCAL_HOST, ProcessHandle.current().pid());
        }
        catch (IllegalStateException ex) {
            if (ex.getCause() instanceof SQLException failure && UNIQUE_VIOLATION.equals(failure.getSQLState())) {
                return false;
            }
            throw ex;
        }
        this.running.add(id);
        return true;
    }

    /** Stops the heartbeat of {@code id}; its owner stays recorded. */
    public void release(long id) {
        this.running.remove(id);
    }

    /** The owner recorded for an execution, if one was. */
    public Optional<ExecutionOwner> ownerOf(long executionId) {
        String sql = "SELECT HOST, PID, HEARTBEAT, CURRENT_TIMESTAMP FROM " + this.table + " WHERE " + this.idColumn + " = ?";
        try (Connection connection = this.dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, executionId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Duration silence = Duration.between(row.getObject(3, OffsetDateTime.class), row.getObject(4, OffsetDateTime.class));
                return Optional.of(new ExecutionOwner(row.getString(1), row.getLong(2), silence));
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot read the owner of execution " + executionId + " from " + this.table
                    + ": " + ex.getMessage(), ex);
        }
    }

    /** Whether a recorded owner is gone: {@link ExecutionOwner#mayBeAlive} false for this registry's timeout. */
    public boolean isGone(ExecutionOwner owner) {
        return !owner.mayBeAlive(this.timeout);
    }

    /**
     * Ends the repository sessions a gone owner left open, on PostgreSQL (none elsewhere):
     * a process frozen or cut off between writing a row and committing holds that row's lock
     * until its session ends, which without this would be when TCP gives up on it, hours
     * later, and whoever updates the row after it (the manager marking its partition FAILED)
     * would wait as long. Finds them by the owner's {@link ExecutionOwner#sessionName()}.
     * @return the sessions ended
     */
    public int endSessions(ExecutionOwner owner) {
        String sql = "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = ? AND pid <> pg_backend_pid()";
        try (Connection connection = this.dataSource.getConnection()) {
            if (!RepositoryTables.isPostgres(connection)) {
                return 0;
            }
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, owner.sessionName());
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getInt(1);
                }
            }
        }
        catch (SQLException ex) {
            log.warn("Could not end the repository sessions of {}, which is gone (session name '{}'): {}. Its locks go"
                    + " when the database drops its connections; grant this role pg_signal_backend to end them at once",
                    owner, owner.sessionName(), ex.getMessage());
            return 0;
        }
    }

    /** Silence after which an owner on another host counts as gone ({@code duckbatch.heartbeat.timeout}). */
    public Duration timeout() {
        return this.timeout;
    }

    /**
     * Whether an execution the repository shows as running may really be running: its owner
     * may be alive, or it recorded none yet and was created within the heartbeat timeout
     * (its process may be between creating it and recording itself).
     */
    public boolean mayBeRunning(JobExecution execution) {
        return execution.getStatus().isRunning() && mayBeRunning(execution, ownerOf(execution.getId()));
    }

    /** {@link #mayBeRunning(JobExecution)} with the owner already read by {@link #ownerOf}. */
    public boolean mayBeRunning(JobExecution execution, Optional<ExecutionOwner> owner) {
        if (!execution.getStatus().isRunning()) {
            return false;
        }
        if (owner.isPresent()) {
            return owner.get().mayBeAlive(this.timeout);
        }
        LocalDateTime created = execution.getCreateTime();
        return created != null
                && Duration.between(created.atZone(ZoneId.systemDefault()).toInstant(), Instant.now()).compareTo(this.timeout) <= 0;
    }

    /** One heartbeat of every running execution: what the schedule runs every interval. */
    void beat() {
        for (Long id : this.running) {
            try {
                update("UPDATE " + this.table + " SET HEARTBEAT = CURRENT_TIMESTAMP WHERE " + this.idColumn + " = ?", id);
            }
            catch (RuntimeException ex) {
                log.warn("Heartbeat of execution {} not recorded: {}", id, ex.getMessage());
            }
        }
    }

    private void update(String sql, Object... values) {
        try (Connection connection = this.dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot write " + this.table + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        this.heartbeat.shutdownNow();
    }

}
