package io.duckbatch.core.read;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import javax.sql.DataSource;

import io.duckbatch.core.keyset.KeyRange;
import io.duckbatch.core.keyset.KeyRangeWalk;
import io.duckbatch.core.keyset.KeysetQuery;
import io.duckbatch.core.resume.DestinationCheckpoint;
import io.duckbatch.core.timing.SimplerTimer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.jdbc.core.RowMapper;

/**
 * Reads a table page by page with keyset pagination (rules 2, 3, 11): when it opens, DuckDB
 * finds the key every page ends at (one window query over the keys, {@link KeyRangeWalk});
 * each page is then {@code SELECT ... WHERE key > ? AND key <= ? [AND work] ORDER BY key}.
 * Nothing is sorted, filtered or compared in Java, and no page costs a top-N over the rest of
 * the table (which {@code ORDER BY key LIMIT n} does in DuckDB when the table is not stored in
 * key order), so page cost stays flat however deep the table is read. Items are handed out in
 * DuckDB's order, as the page source made them: per row, {@link #read()} allocates nothing.
 * <p>
 * It is put together from two parts, each chosen once by the builder:
 * <ul>
 * <li>the page source, where a page's rows come from: JDBC rows through a {@link RowMapper}
 * ({@link Builder#rowMapper}) or DuckDB data chunks read column by column
 * ({@link Builder#columnarRows}), which costs a fraction of a {@code ResultSet}'s calls;</li>
 * <li>the start position, where a run starts and what it records per chunk.</li>
 * </ul>
 * Restart contract, by start position:
 * <ul>
 * <li>with {@link Builder#resumeFrom} a {@link DestinationCheckpoint}: after the destination's
 * {@code MAX(key)} of the task, the ExecutionContext holding only that the task started
 * ({@code <name>.checkpoint.started}; a fresh task first deletes its earlier rows); for jobs
 * that write in key order, each source key's rows in one chunk's transaction;</li>
 * <li>otherwise from the ExecutionContext: {@code <name>.pageStartKey} (the key the current
 * page started after) and {@code <name>.pageIndex} (how many of its rows were handed out in
 * committed chunks): the next row after the last chunk, as long as the table's rows needing
 * work after that key are unchanged.</li>
 * </ul>
 * Either way a reader given a key range ({@link Builder#keyRange}, one task's share of the
 * table) never reads outside it, and it records the rows its run has to read under
 * {@link #rowsToReadKey}. Build it with {@link #builder()}; one instance serves one step
 * execution on one thread.
 */
public class KeysetItemReader<T> implements ItemStreamReader<T> {

    /** At DEBUG, one line when a reader has read its first page: how start-up is measured (docs/benchmarks.md). */
    private static final Logger log = LoggerFactory.getLogger(KeysetItemReader.class);

    private final String name;

    private final DataSource dataSource;

    private final KeysetQuery query;

    private final PageSource<T> pages;

    private final StartPosition start;

    /** The task's share of the table. */
    private final KeyRange share;

    private final int pageSize;

    private final SimplerTimer timer;

    /** The page being handed out; refilled in place, page after page. */
    private final ArrayList<T> page;

    private Connection connection;

    /** The pages still to read, as DuckDB cut them when the reader opened. */
    private KeyRangeWalk walk;

    /** The key the page being handed out starts after: what a restart needs with {@link #index}. */
    private Object pageAfter;

    /** Items of the page handed out. */
    private int index;

    private long rowsToRead;

    private boolean pageRead;

    private KeysetItemReader(Builder<T> builder, KeysetQuery query) {
        this.name = builder.name;
        this.dataSource = builder.dataSource;
        this.query = query;
        this.pages = (builder.columnarMapper != null) ? PageSource.chunks(query, builder.columnarMapper)
                : PageSource.rows(query, builder.rowMapper);
        this.start = (builder.checkpoint != null) ? new CheckpointPosition(builder.name, builder.checkpoint)
                : new SavedPosition(builder.name);
        this.share = builder.share;
        this.pageSize = builder.pageSize;
        this.timer = (builder.timer != null) ? builder.timer : new SimplerTimer();
        this.page = new ArrayList<>(this.pageSize);
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    public void open(ExecutionContext context) throws ItemStreamException {
        try (var t = this.timer.track("resume")) {
            this.connection = this.dataSource.getConnection();
            this.query.verify(this.connection, this.dataSource.toString());
            StartPosition.Start from = this.start.open(context);
            KeyRange rest = this.share.resumedAfter(from.after());
            this.walk = KeyRangeWalk.cut(this.connection, this.query, rest, this.pageSize);
            this.rowsToRead = this.walk.rows() - from.skip();
            context.putLong(rowsToReadKey(this.name), this.rowsToRead);
            this.pages.open(this.connection);
            this.page.clear();
            this.pageAfter = rest.after();
            this.index = 0;
            if (from.skip() > 0 && nextPage()) {
                this.index = Math.min(from.skip(), this.page.size());
            }
        }
        catch (SQLException | RuntimeException ex) {
            close();
            throw new ItemStreamException("Cannot open reader '" + this.name + "' on " + this.dataSource + ": "
                    + ex.getMessage(), ex);
        }
    }

    @Override
    public T read() throws SQLException {
        while (this.index == this.page.size()) {
            if (!nextPage()) {
                return null;
            }
        }
        return this.page.get(this.index++);
    }

    /** Replaces the page by the next one; {@code false}, the page kept, when none is left. */
    private boolean nextPage() throws SQLException {
        if (!this.walk.next()) {
            return false;
        }
        try (var t = this.timer.track("read")) {
            KeyRange range = this.walk.range();
            this.page.clear();
            this.pageAfter = range.after();
            this.index = 0;
            this.pages.fetch(range, this.page);
        }
        if (!this.pageRead) {
            this.pageRead = true;
            log.debug("Reader '{}' read its first page ({} items)", this.name, this.page.size());
        }
        return true;
    }

    @Override
    public void update(ExecutionContext context) {
        this.start.save(context, this.pageAfter, this.index);
    }

    @Override
    public void close() {
        Exception failure = null;
        for (AutoCloseable closeable : new AutoCloseable[] { this.pages, this.connection }) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            }
            catch (Exception ex) {
                failure = (failure != null) ? failure : ex;
            }
        }
        this.connection = null;
        if (failure != null) {
            throw new ItemStreamException("Cannot close reader '" + this.name + "'", failure);
        }
    }

    /** Rows this run of the reader has to read, known once it is open. */
    public long getRowsToRead() {
        return this.rowsToRead;
    }

    /** The ExecutionContext key under which a reader named {@code name} records its rows to read. */
    public static String rowsToReadKey(String name) {
        return KeyRangeWalk.rowsToReadKey(name);
    }

    public KeysetQuery getQuery() {
        return this.query;
    }

    public static final class Builder<T> {

        private String name;

        private DataSource dataSource;

        private KeysetQuery query;

        private final KeysetQuery.Builder queryBuilder = KeysetQuery.builder();

        private boolean queryParts;

        private ColumnarRowMapper<T> columnarMapper;

        private KeyRange share = KeyRange.ALL;

        private int pageSize = 10_000;

        private RowMapper<T> rowMapper;

        private DestinationCheckpoint checkpoint;

        private SimplerTimer timer;

        private Builder() {
        }

        /** Prefix of this reader's ExecutionContext keys; defaults to {@code keyset.<table>}. */
        public Builder<T> name(String name) {
            this.name = name;
            return this;
        }

        public Builder<T> dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /**
         * The rows to read, built (and maybe verified) beforehand; instead of {@link #table},
         * {@link #keyColumn}, {@link #columns}, {@link #computed} and {@link #workPredicate}.
         */
        public Builder<T> query(KeysetQuery query) {
            this.query = query;
            return this;
        }

        /** The table to read, as {@link KeysetQuery.Builder#table}. */
        public Builder<T> table(String table) {
            this.queryBuilder.table(table);
            return part();
        }

        /** A unique, non-null column the pages are ordered and resumed by ({@link KeysetQuery.Builder#keyColumn}). */
        public Builder<T> keyColumn(String keyColumn) {
            this.queryBuilder.keyColumn(keyColumn);
            return part();
        }

        /** Columns to select besides the key, which comes first ({@link KeysetQuery.Builder#columns}). */
        public Builder<T> columns(String... columns) {
            this.queryBuilder.columns(columns);
            return part();
        }

        /** SQL expressions selected after the columns, e.g. for {@link #columnarRows} ({@link KeysetQuery.Builder#computed}). */
        public Builder<T> computed(String... expressions) {
            this.queryBuilder.computed(expressions);
            return part();
        }

        /** The rows still needing work, an SQL condition with bound values ({@link KeysetQuery.Builder#workPredicate}). */
        public Builder<T> workPredicate(String predicate, Object... parameters) {
            this.queryBuilder.workPredicate(predicate, parameters);
            return part();
        }

        private Builder<T> part() {
            this.queryParts = true;
            return this;
        }

        /**
         * One task's share of the table: the keys after {@code after} ({@code null}: from the
         * first) up to and including {@code upTo} ({@code null}: to the last).
         */
        public Builder<T> keyRange(Object after, Object upTo) {
            this.share = new KeyRange(after, upTo);
            return this;
        }

        /** Read pages column by column through DuckDB's data chunks instead of {@link #rowMapper}. */
        public Builder<T> columnarRows(ColumnarRowMapper<T> mapper) {
            this.columnarMapper = mapper;
            return this;
        }

        public Builder<T> pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        /** Maps the current row; column 1 is the key, then the columns in the given order. */
        public Builder<T> rowMapper(RowMapper<T> rowMapper) {
            this.rowMapper = rowMapper;
            return this;
        }

        /** Resume after the destination's {@code MAX(key)} instead of the ExecutionContext. */
        public Builder<T> resumeFrom(DestinationCheckpoint checkpoint) {
            this.checkpoint = checkpoint;
            return this;
        }

        /** Times the phases {@code resume} (open) and {@code read} (each page query). */
        public Builder<T> timer(SimplerTimer timer) {
            this.timer = timer;
            return this;
        }

        public KeysetItemReader<T> build() {
            if (this.dataSource == null) {
                throw new IllegalStateException("KeysetItemReader needs dataSource(...): the database to read");
            }
            if ((this.rowMapper == null) == (this.columnarMapper == null)) {
                throw new IllegalStateException("KeysetItemReader needs one of rowMapper(...) or columnarRows(...): how to"
                        + " turn a row into an item");
            }
            if (this.pageSize < 1) {
                throw new IllegalStateException("KeysetItemReader pageSize must be at least 1, was " + this.pageSize);
            }
            if (this.query != null && this.queryParts) {
                throw new IllegalStateException("KeysetItemReader takes query(...) or table(...), keyColumn(...), columns(...),"
                        + " computed(...) and workPredicate(...), not both");
            }
            KeysetQuery query = this.query;
            if (query == null) {
                try {
                    query = this.queryBuilder.build();
                }
                catch (IllegalStateException ex) {
                    throw new IllegalStateException("KeysetItemReader: " + ex.getMessage(), ex);
                }
            }
            if (this.name == null) {
                this.name = "keyset." + query.table();
            }
            return new KeysetItemReader<>(this, query);
        }

    }

}
