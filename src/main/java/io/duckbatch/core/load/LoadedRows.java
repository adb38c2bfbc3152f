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
 * Rule 1's "load once": every row of a keyset query (the rows needing work), read in one pass
 * in DuckDB's key order and kept in memory. Immutable, so the tasks of a job (and their
 * threads) can share it.
 */
public final class LoadedRows<T> {

    private final List<T> rows;

    private LoadedRows(List<T> rows) {
        this.rows = rows;
    }

    public static <T> LoadedRows<T> load(DataSource dataSource, KeysetQuery query, RowMapper<T> rowMapper)
            throws SQLException {
        List<T> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(query.allRowsSql())) {
            query.bindAllRows(statement);
            try (ResultSet rs = statement.executeQuery()) {
                int row = 0;
                while (rs.next()) {
                    rows.add(rowMapper.mapRow(rs, row++));
                }
            }
        }
        return new LoadedRows<>(Collections.unmodifiableList(rows));
    }

    public int size() {
        return this.rows.size();
    }

    /** Every row, in key order, without copying. */
    public List<T> rows() {
        return this.rows;
    }

}
