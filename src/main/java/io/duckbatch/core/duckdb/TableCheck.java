package io.duckbatch.core.duckdb;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.dao.InvalidDataAccessResourceUsageException;

/**
 * Verifies before any work starts that a table and the columns a component needs exist,
 * failing with one line that names the database, the table and the missing columns.
 */
public final class TableCheck {

    private TableCheck() {
    }

    /**
     * @param database how to name the database in messages (its file)
     * @throws InvalidDataAccessResourceUsageException when the table or a column is missing
     */
    public static void requireColumns(Connection connection, String database, String table, Collection<String> columns)
            throws SQLException {
        Set<String> present = new LinkedHashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " LIMIT 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                present.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
            }
        }
        catch (SQLException ex) {
            if (ex.getMessage() != null && ex.getMessage().contains("does not exist")) {
                // DuckDB's own text adds only "did you mean" guesses; the message names all there is.
                throw new InvalidDataAccessResourceUsageException("Table '" + table + "' not found in " + database);
            }
            throw ex;
        }
        List<String> missing = new ArrayList<>();
        for (String column : columns) {
            if (!present.contains(column.toLowerCase(Locale.ROOT)) && !isStructField(connection, table, column, present)) {
                missing.add(column);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidDataAccessResourceUsageException("Column" + (missing.size() > 1 ? "s " : " ") + missing
                    + " not found in table '" + table + "' of " + database + " (it has " + present + ")");
        }
    }

    /** Whether {@code column} is {@code struct.field} of a STRUCT column the table has ({@code address.postcode}). */
    private static boolean isStructField(Connection connection, String table, String column, Set<String> present) {
        int dot = column.indexOf('.');
        if (dot < 1 || !present.contains(column.substring(0, dot).toLowerCase(Locale.ROOT))) {
            return false;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT " + column + " FROM " + table + " LIMIT 0")) {
            return true;
        }
        catch (SQLException ex) {
            return false;
        }
    }

}
