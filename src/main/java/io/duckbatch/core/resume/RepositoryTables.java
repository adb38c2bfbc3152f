package io.duckbatch.core.resume;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;

/**
 * Creates tables in the job repository (duckbatch's own, and Spring Batch's through
 * {@link #oneAtATime}), whichever process needs them first.
 * A manager and its workers often start together on a new repository, and PostgreSQL's
 * {@code CREATE ... IF NOT EXISTS} is not safe against a concurrent creation of the same
 * object: the process that loses the race gets a unique violation on PostgreSQL's catalog
 * instead of a no-op. Once that happened the object exists, so the statements run once more.
 */
public final class RepositoryTables {

    /** unique_violation (pg_type, pg_class), duplicate_table, duplicate_object. */
    private static final Set<String> CREATED_CONCURRENTLY = Set.of("23505", "42P07", "42710");

    /** The advisory lock key of table creation: "duckbat" in ASCII, nothing else in the repository uses it. */
    private static final long CREATION_LOCK = 0x6475636b626174L;

    private RepositoryTables() {
    }

    /**
     * Runs {@code ddl}, statements that create objects only when missing, in {@code repository}.
     * @param what what the statements create, for the message of a failure
     */
    public static void createIfMissing(DataSource repository, String what, String... ddl) {
        try {
            execute(repository, ddl);
        }
        catch (SQLException ex) {
            if (!CREATED_CONCURRENTLY.contains(ex.getSQLState())) {
                throw new IllegalStateException("Cannot create " + what + ": " + ex.getMessage(), ex);
            }
            try {
                execute(repository, ddl);
            }
            catch (SQLException again) {
                throw new IllegalStateException("Cannot create " + what + ": " + again.getMessage(), again);
            }
        }
    }

    /**
     * {@code creation} while no other process runs one: on PostgreSQL under a session
     * advisory lock of duckbatch's own, elsewhere as it is (an H2 file has one process).
     * For what cannot simply run again, such as Spring Batch's schema script.
     */
    public static <T> T oneAtATime(DataSource repository, Supplier<T> creation) {
        try (Connection connection = repository.getConnection()) {
            if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
                return creation.get();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_lock(" + CREATION_LOCK + ")");
                try {
                    return creation.get();
                }
                finally {
                    statement.execute("SELECT pg_advisory_unlock(" + CREATION_LOCK + ")");
                }
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot lock the job repository to create its tables: " + ex.getMessage(), ex);
        }
    }

    private static void execute(DataSource repository, String... ddl) throws SQLException {
        try (Connection connection = repository.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : ddl) {
                statement.execute(sql);
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
    }

}
