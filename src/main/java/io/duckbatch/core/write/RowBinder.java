package io.duckbatch.core.write;

import java.sql.SQLException;

import org.duckdb.DuckDBAppender;

/**
 * Appends one item's values, in the column order of the table being appended to. The
 * writer calls {@code beginRow()} before and {@code endRow()} after. Use the primitive
 * {@code append} overloads where the value is primitive: they do not box.
 */
@FunctionalInterface
public interface RowBinder<T> {

    void bind(T item, DuckDBAppender row) throws SQLException;

}
