package io.duckbatch.core.duckdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Tables built under temporary names and put in place of the ones they replace in one
 * transaction: a reader sees the old tables or the new ones, never a mix, and a failure
 * before the swap leaves the old ones as they were.
 */
public final class TableSwap {

    private TableSwap() {
    }

    /**
     * @param builtToTable each built table and the table it replaces (possibly {@code schema.name})
     * @param alsoInSwap statements run in the same transaction, after the renames
     */
    public static void swapIn(Connection connection, Map<String, String> builtToTable, List<String> alsoInSwap)
            throws SQLException {
        Statements.execute(connection, "BEGIN TRANSACTION");
        try {
            for (Map.Entry<String, String> swap : builtToTable.entrySet()) {
                String table = swap.getValue();
                Statements.execute(connection, "DROP TABLE IF EXISTS " + table);
                Statements.execute(connection, "ALTER TABLE " + swap.getKey() + " RENAME TO "
                        + table.substring(table.lastIndexOf('.') + 1));
            }
            for (String sql : alsoInSwap) {
                Statements.execute(connection, sql);
            }
            Statements.execute(connection, "COMMIT");
        }
        catch (SQLException ex) {
            Statements.execute(connection, "ROLLBACK");
            throw ex;
        }
    }

    /** Drops built tables after {@code failure}, whose suppressed exceptions get any failure to. */
    public static void dropQuietly(Connection connection, Exception failure, String... tables) {
        for (String table : tables) {
            try {
                Statements.execute(connection, "DROP TABLE IF EXISTS " + table);
            }
            catch (SQLException ex) {
                failure.addSuppressed(ex);
            }
        }
    }

}
