package io.duckbatch.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Real DuckDB files for tests: run SQL on a file, read results back as lists. */
public final class DuckDbFiles {

    private DuckDbFiles() {
    }

    public static void execute(Path file, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The first column of every row. */
    public static List<Object> column(Path file, String sql) throws SQLException {
        List<Object> values = new ArrayList<>();
        for (List<Object> row : rows(file, sql)) {
            values.add(row.get(0));
        }
        return values;
    }

    public static long count(Path file, String sql) throws SQLException {
        return ((Number) column(file, sql).get(0)).longValue();
    }

    /** Every row, every column; arrays as their string form. */
    public static List<List<Object>> rows(Path file, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    row.add((value instanceof java.sql.Array) ? value.toString() : value);
                }
                rows.add(row);
            }
            return rows;
        }
    }

}
