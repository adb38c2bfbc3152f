package io.duckbatch.core.skip;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.duckbatch.core.duckdb.SqlNames;

/**
 * The dead-letter table of a job in its target DuckDB, {@code <job>_rejects}: one row per
 * rejected key of a step, {@code (step, key, phase, reason, exception_class, row_json,
 * job_execution_id, rejected_at)}. A row is written when it is rejected, in its own
 * transaction; the primary key {@code (step, key)} makes a row rejected again (after a
 * restart re-reads it) replace its earlier reject instead of adding one, so the table holds
 * each rejected key once whatever the restarts. Rows are rare: a plain insert each.
 */
public final class RejectsTable {

    /** Reasons are kept to this many characters (a DuckDB error can quote a whole query). */
    static final int REASON_LENGTH = 2_000;

    private final DataSource target;

    private final String table;

    RejectsTable(DataSource target, String job) {
        this.target = target;
        this.table = name(job);
    }

    /** {@code <job>_rejects}. */
    public static String name(String job) {
        return SqlNames.requirePlain("dead-letter table", job + "_rejects");
    }

    String table() {
        return this.table;
    }

    /** Creates {@code <job>_rejects} in {@code target} when missing, e.g. before rejects kept elsewhere are copied in. */
    public static void createIn(DataSource target, String job) {
        new RejectsTable(target, job).create();
    }

    /** Once at a time in this process: DuckDB refuses two concurrent CREATEs of one table (the tasks of a step start together). */
    void create() {
        synchronized (RejectsTable.class) {
            createIfMissing();
        }
    }

    private void createIfMissing() {
        try (Connection connection = this.target.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + this.table + " (step VARCHAR NOT NULL, key VARCHAR NOT NULL,"
                    + " phase VARCHAR NOT NULL, reason VARCHAR, exception_class VARCHAR NOT NULL, row_json VARCHAR,"
                    + " job_execution_id BIGINT, rejected_at TIMESTAMP NOT NULL DEFAULT current_timestamp,"
                    + " PRIMARY KEY (step, key))");
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot create the dead-letter table " + this.table + " in " + this.target + ": "
                    + ex.getMessage(), ex);
        }
    }

    void insert(String step, String key, String phase, Throwable failure, String rowJson, long jobExecutionId) {
        String reason = String.valueOf(failure.getMessage());
        try (Connection connection = this.target.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT OR REPLACE INTO " + this.table
                        + " (step, key, phase, reason, exception_class, row_json, job_execution_id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, step);
            insert.setString(2, key);
            insert.setString(3, phase);
            insert.setString(4, (reason.length() > REASON_LENGTH) ? reason.substring(0, REASON_LENGTH) : reason);
            insert.setString(5, failure.getClass().getName());
            insert.setString(6, rowJson);
            insert.setLong(7, jobExecutionId);
            insert.executeUpdate();
        }
        catch (SQLException ex) {
            IllegalStateException cannot = new IllegalStateException("Cannot write the reject of key " + key + " of step "
                    + step + " to " + this.table + " in " + this.target + ": " + ex.getMessage(), ex);
            cannot.addSuppressed(failure);
            throw cannot;
        }
    }

}
