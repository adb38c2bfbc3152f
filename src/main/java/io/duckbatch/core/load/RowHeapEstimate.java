package io.duckbatch.core.load;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.duckbatch.core.keyset.KeysetQuery;

/**
 * The heap one row of a keyset query takes in {@link LoadedRows}, averaged by DuckDB over a
 * sample of its table: the row object (a reference per column, as a record or a
 * {@code Map.Entry} has), its values ({@link HeapBytesSql}), and its slot in the list of
 * rows.
 */
final class RowHeapEstimate {

    private static final int SAMPLE_ROWS = 10_000;


    private RowHeapEstimate() {
    }

    static double averageBytes(Connection connection, KeysetQuery query, JvmLayout layout) throws SQLException {
        List<String> columns = query.columns();
        List<String> types = types(connection, query);
        HeapBytesSql heapBytes = new HeapBytesSql(layout);
        List<String> values = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            values.add(heapBytes.of(columns.get(i), types.get(i)));
        }
        String sql = "SELECT coalesce(avg(" + String.join(" + ", values) + "), 0) FROM (" + select(query) + " USING SAMPLE "
                + SAMPLE_ROWS + " ROWS)";
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return layout.object(columns.size(), 0) + layout.referenceBytes() + rs.getDouble(1);
        }
    }

    /** The DuckDB type of each selected column, in {@link KeysetQuery#columns()} order. */
    private static List<String> types(Connection connection, KeysetQuery query) throws SQLException {
        List<String> types = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("DESCRIBE " + select(query))) {
            while (rs.next()) {
                types.add(rs.getString("column_type"));
            }
        }
        return types;
    }

    private static String select(KeysetQuery query) {
        return "SELECT " + String.join(", ", query.columns()) + " FROM " + query.table();
    }

}
