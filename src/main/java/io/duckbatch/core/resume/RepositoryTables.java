package io.duckbatch.core.resume;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;

import javax.sql.DataSource;

/**
 * Creates tables in the job repository (duckbatch's own, and Spring Batch's through
 * {@link #oneAtATime}), whichever process needs them first. A manager and its workers often
 * start together on a new repository, and PostgreSQL's {@code CREATE ... IF NOT EXISTS} is
 * not safe against a concurrent creation of the same object: the process that loses the race
 * gets a unique violation on PostgreSQL's catalog instead of a no-op, and a list of statements
 * can lose several races. So on PostgreSQL creation runs under a session advisory lock of
 * duckbatch's own, one process at a time; an H2 file has one process anyway.
 */
public final class RepositoryTables {

    /** The advisory lock key of table creation: "duckbat" in ASCII, nothing else in the repository uses it. */
    private static final long CREATION_LOCK = 0x6475636b626174L;

    private RepositoryTables() {
    }

    /**
     * Runs {@code ddl}, statements that create objects only when missing, in {@code repository},
     * on the connection that holds the lock.
     * @param what what the statements create, for the message of a failure
     */
    public static void createIfMissing(DataSource repository, String what, String... ddl) {
        try (Connection connection = repository.getConnection()) {
            boolean locked = lock(connection);
            try (Statement statement = connection.createStatement()) {
                for (String sql : ddl) {
                    statement.execute(sql);
                }
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
            }
            finally {
                unlock(connection, locked);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot create " + what + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * {@code creation} while no other process runs one, for what runs on connections of its
     * own, such as Spring Batch's schema script (the pool needs a second connection for it).
     */
    public static <T> T oneAtATime(DataSource repository, Supplier<T> creation) {
        try (Connection connection = repository.getConnection()) {
            boolean locked = lock(connection);
            try {
                return creation.get();
            }
            finally {
                unlock(connection, locked);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot lock the job repository to create its tables: " + ex.getMessage(), ex);
        }
    }

    /** Whether {@code connection} is to a PostgreSQL job repository (else H2). */
    public static boolean isPostgres(Connection connection) throws SQLException {
        return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
    }

    /** Waits for the creation lock on PostgreSQL; whether it was taken. */
    private static boolean lock(Connection connection) throws SQLException {
        if (!isPostgres(connection)) {
            return false;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + CREATION_LOCK + ")");
        }
        return true;
    }

    private static void unlock(Connection connection, boolean locked) throws SQLException {
        if (locked) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_unlock(" + CREATION_LOCK + ")");
            }
        }
    }

}
