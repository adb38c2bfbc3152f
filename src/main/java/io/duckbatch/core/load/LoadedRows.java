package io.duckbatch.core.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.sql.DataSource;

import io.duckbatch.core.keyset.KeysetQuery;

import org.springframework.jdbc.core.RowMapper;

/**
 * Rule 1's "load once": every row of a keyset query, read in one pass in DuckDB's key order
 * and kept in memory, with each row's key as DuckDB returned it. Immutable, so the tasks of
 * a job (and their threads) can share it; a reader walks it by position and asks DuckDB,
 * never Java, where a key falls ({@link KeysetQuery#countUpTo}).
 */
public final class LoadedRows<T> {

    private final List<T> items;

    private final Object[] keys;

    private LoadedRows(List<T> items, Object[] keys) {
        this.items = items;
        this.keys = keys;
    }

    public static <T> LoadedRows<T> load(DataSource dataSource, KeysetQuery query, RowMapper<T> rowMapper)
            throws SQLException {
        List<T> items = new ArrayList<>();
        List<Object> keys = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(query.allRowsSql())) {
            query.bindAllRows(statement);
            try (ResultSet rs = statement.executeQuery()) {
                int row = 0;
                while (rs.next()) {
                    items.add(rowMapper.mapRow(rs, row++));
                    keys.add(rs.getObject(1));
                }
            }
        }
        return new LoadedRows<>(Collections.unmodifiableList(items), keys.toArray());
    }

    public int size() {
        return this.items.size();
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive), without copying. */
    public List<T> slice(int from, int to) {
        return this.items.subList(from, to);
    }

    /** The key of row {@code index}, as DuckDB returned it. */
    public Object key(int index) {
        return this.keys[index];
    }

}
