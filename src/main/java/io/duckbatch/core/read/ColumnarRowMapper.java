package io.duckbatch.core.read;

import java.sql.SQLException;
import java.util.List;

import org.duckdb.DuckDBDataChunkReader;

/**
 * Turns one DuckDB data chunk (up to 2,048 rows, column by column) into items: the columns'
 * vectors are fetched once per chunk, then read row by row without a {@code ResultSet}.
 * Vector {@code i} is the page query's column {@code i}: the key first, then the columns
 * and computed expressions in the order given.
 */
@FunctionalInterface
public interface ColumnarRowMapper<T> {

    /** Adds an item per row of {@code chunk}, in row order, to {@code items}. */
    void mapRows(DuckDBDataChunkReader chunk, List<? super T> items) throws SQLException;

}
