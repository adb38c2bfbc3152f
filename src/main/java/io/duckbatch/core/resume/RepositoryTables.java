package io.duckbatch.core.resume;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

import javax.sql.DataSource;

/**
 * Creates the tables duckbatch adds to the job repository, whichever process needs them first.
 * A manager and its workers often start together on a new repository, and PostgreSQL's
 * {@code CREATE ... IF NOT EXISTS} is not safe against a concurrent creation of the same
 * object: the process that loses the race gets a unique violation on PostgreSQL's catalog
 * instead of a no-op. Once that happened the object exists, so the statements run once more.
 */
public final class RepositoryTables {

    /** unique_violation (pg_type, pg_class), duplicate_table, duplicate_object. */
    private static final Set<String> CREATED_CONCURRENTLY = Set.of("23505", "42P07", "42710");

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
