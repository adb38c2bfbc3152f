package io.duckbatch.core.read;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import io.duckbatch.core.keyset.KeyRange;
import io.duckbatch.core.keyset.KeysetQuery;
import io.duckbatch.core.keyset.RangeStatement;

import org.duckdb.DuckDBChunkedResult;
import org.duckdb.DuckDBPreparedStatement;

import org.springframework.jdbc.core.RowMapper;

/**
 * Where a {@link KeysetItemReader}'s pages come from: DuckDB runs a page of the
 * {@link KeysetQuery} (its rows of one key range, in key order) and the rows become items
 * either through a {@code ResultSet} and a {@link RowMapper} ({@link #rows}) or a data chunk
 * at a time through a {@link ColumnarRowMapper} ({@link #chunks}), which costs a fraction of
 * the row-by-row calls. The page query is prepared once per run ({@link #open}); a page then
 * costs binding its two keys and the query, and nothing per row but the mapping.
 */
abstract class PageSource<T> implements AutoCloseable {

    private final KeysetQuery query;

    private RangeStatement pages;

    private PageSource(KeysetQuery query) {
        this.query = query;
    }

    /** Pages through JDBC rows, each mapped by {@code mapper}. */
    static <T> PageSource<T> rows(KeysetQuery query, RowMapper<T> mapper) {
        return new PageSource<>(query) {
            @Override
            void map(PreparedStatement page, List<T> items) throws SQLException {
                try (ResultSet rs = page.executeQuery()) {
                    int row = 0;
                    while (rs.next()) {
                        items.add(mapper.mapRow(rs, row++));
                    }
                }
            }
        };
    }

    /** Pages through DuckDB's data chunks, column by column, mapped by {@code mapper}. */
    static <T> PageSource<T> chunks(KeysetQuery query, ColumnarRowMapper<T> mapper) {
        return new PageSource<>(query) {
            @Override
            void map(PreparedStatement page, List<T> items) throws SQLException {
                try (DuckDBChunkedResult chunks = page.unwrap(DuckDBPreparedStatement.class).query()) {
                    while (chunks.nextChunk()) {
                        mapper.mapRows(chunks.chunk(), items);
                    }
                }
            }
        };
    }

    /** Prepares the page query on {@code connection}, which stays the caller's to close. */
    void open(Connection connection) throws SQLException {
        this.pages = RangeStatement.prepare(connection, this.query.rangePageSql(false), this.query.rangePageSql(true));
    }

    /** Adds the items of the rows of {@code range}, in key order, to {@code items}. */
    void fetch(KeyRange range, List<T> items) throws SQLException {
        PreparedStatement page = this.pages.of(range);
        this.query.bindRangePage(page, range);
        map(page, items);
    }

    /** Runs the bound {@code page} and adds an item per row to {@code items}. */
    abstract void map(PreparedStatement page, List<T> items) throws SQLException;

    @Override
    public void close() throws SQLException {
        if (this.pages != null) {
            try {
                this.pages.close();
            }
            finally {
                this.pages = null;
            }
        }
    }

}
