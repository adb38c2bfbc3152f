package io.duckbatch.core.read;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import javax.sql.DataSource;

import io.duckbatch.core.keyset.KeyRange;
import io.duckbatch.core.keyset.KeyRangeWalk;
import io.duckbatch.core.keyset.KeysetQuery;
import io.duckbatch.core.resume.DestinationCheckpoint;
import io.duckbatch.core.timing.SimplerTimer;

import org.duckdb.DuckDBChunkedResult;
import org.duckdb.DuckDBPreparedStatement;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.jdbc.core.RowMapper;

/**
 * Reads a table page by page with keyset pagination (rules 2, 3, 11): when it opens, DuckDB
 * finds the key every page ends at (one window query over the keys); each page is then
 * {@code SELECT ... WHERE key > ? AND key <= ? [AND work] ORDER BY key}. Nothing is sorted,
 * filtered or compared in Java, and no page costs a top-N over the rest of the table (which
 * {@code ORDER BY key LIMIT n} does in DuckDB when the table is not stored in key order), so
 * page cost stays flat however deep the table is read.
 * <p>
 * Restart position: with a {@link DestinationCheckpoint}, after the destination's
 * {@code MAX(key)} for the task; otherwise from the ExecutionContext (the key the current
 * page started after and how many of its rows were handed out). Build it with
 * {@link #builder()}; one instance serves one step execution on one thread.
 * <p>
 * A reader can be given one task's share of the table, a key range ({@link Builder#keyRange}),
 * and can read its pages column by column ({@link Builder#columnarRows}), which costs a
 * fraction of a {@code ResultSet}'s row-by-row calls.
 */
public class KeysetItemReader<T> implements ItemStreamReader<T> {

    private final String name;

    private final DataSource dataSource;

    private final KeysetQuery query;

    private final RowMapper<T> rowMapper;

    private final ColumnarRowMapper<T> columnarMapper;

    /** The task's share of the table: keys after {@code rangeAfter} (nullable) up to {@code rangeUpTo}. */
    private final Object rangeAfter;

    private final Object rangeUpTo;

    private final int pageSize;

    private final DestinationCheckpoint checkpoint;

    private final SimplerTimer timer;

    private final ArrayList<T> buffer;

    private List<T> page;

    private Connection connection;

    private PreparedStatement firstPage;

    private PreparedStatement nextPage;

    private Object pageStartKey;

    private Object nextPageStartKey;

    private int index;

    private boolean lastPage;

    private long rowsToRead;

    /** The pages still to read, as their last keys: found by DuckDB when the reader opens. */
    private Deque<KeysetQuery.Range> ranges;

    private KeysetItemReader(Builder<T> builder) {
        this.name = builder.name;
        this.dataSource = builder.dataSource;
        this.query = new KeysetQuery(builder.table, builder.keyColumn, builder.columns, builder.computed,
                builder.workPredicate, builder.workParameters);
        this.rowMapper = builder.rowMapper;
        this.columnarMapper = builder.columnarMapper;
        this.rangeAfter = builder.rangeAfter;
        this.rangeUpTo = builder.rangeUpTo;
        this.pageSize = builder.pageSize;
        this.checkpoint = builder.checkpoint;
        this.timer = (builder.timer != null) ? builder.timer : new SimplerTimer();
        this.buffer = new ArrayList<>(this.pageSize);
        this.page = List.of();
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    public void open(ExecutionContext context) throws ItemStreamException {
        try (var t = this.timer.track("resume")) {
            this.connection = this.dataSource.getConnection();
            this.query.verify(this.connection, this.dataSource.toString());
            int skip = 0;
            if (this.checkpoint != null) {
                this.nextPageStartKey = this.checkpoint.open(context);
            }
            else {
                this.nextPageStartKey = context.get(key("pageStartKey"));
                skip = context.getInt(key("pageIndex"), 0);
            }
            if (this.nextPageStartKey == null) {
                this.nextPageStartKey = this.rangeAfter;
            }
            this.ranges = new ArrayDeque<>(
                    this.query.ranges(this.connection, new KeyRange(this.nextPageStartKey, this.rangeUpTo), this.pageSize));
            this.rowsToRead = this.ranges.stream().mapToLong(KeysetQuery.Range::rows).sum() - skip;
            this.firstPage = this.connection.prepareStatement(this.query.rangePageSql(false));
            this.nextPage = this.connection.prepareStatement(this.query.rangePageSql(true));
            context.putLong(rowsToReadKey(this.name), this.rowsToRead);
            this.page = List.of();
            this.index = 0;
            this.lastPage = false;
            if (skip > 0) {
                fetchPage();
                this.index = Math.min(skip, this.page.size());
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
        if (this.index >= this.page.size()) {
            if (this.lastPage) {
                return null;
            }
            fetchPage();
            if (this.page.isEmpty()) {
                return null;
            }
        }
        return this.page.get(this.index++);
    }

    private void fetchPage() throws SQLException {
        try (var t = this.timer.track("read")) {
            this.pageStartKey = this.nextPageStartKey;
            this.index = 0;
            int rows = queryPage();
            this.lastPage = rows < this.pageSize;
        }
    }

    private int queryPage() throws SQLException {
        this.buffer.clear();
        this.page = this.buffer;
        KeysetQuery.Range range = this.ranges.poll();
        if (range == null) {
            return 0;
        }
        PreparedStatement statement = (this.pageStartKey == null) ? this.firstPage : this.nextPage;
        this.query.bindRangePage(statement, new KeyRange(this.pageStartKey, range.upTo()));
        int rows = 0;
        if (this.columnarMapper != null) {
            try (DuckDBChunkedResult chunks = statement.unwrap(DuckDBPreparedStatement.class).query()) {
                while (chunks.nextChunk()) {
                    this.columnarMapper.mapRows(chunks.chunk(), this.buffer);
                }
            }
            rows = this.buffer.size();
        }
        else {
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    this.buffer.add(this.rowMapper.mapRow(rs, rows++));
                }
            }
        }
        this.nextPageStartKey = range.upTo();
        return (this.ranges.isEmpty()) ? rows : this.pageSize;
    }

    @Override
    public void update(ExecutionContext context) {
        if (this.pageStartKey != null) {
            context.put(key("pageStartKey"), this.pageStartKey);
        }
        else {
            context.remove(key("pageStartKey"));
        }
        context.putInt(key("pageIndex"), this.index);
    }

    @Override
    public void close() {
        SQLException failure = null;
        for (AutoCloseable closeable : Arrays.asList(this.firstPage, this.nextPage, this.connection)) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            }
            catch (Exception ex) {
                failure = (failure != null) ? failure : new SQLException(ex);
            }
        }
        this.firstPage = null;
        this.nextPage = null;
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

    private String key(String suffix) {
        return this.name + "." + suffix;
    }

    public static final class Builder<T> {

        private String name;

        private DataSource dataSource;

        private String table;

        private String keyColumn;

        private List<String> columns = List.of();

        private List<String> computed = List.of();

        private ColumnarRowMapper<T> columnarMapper;

        private Object rangeAfter;

        private Object rangeUpTo;

        private String workPredicate;

        private List<Object> workParameters = List.of();

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

        public Builder<T> table(String table) {
            this.table = table;
            return this;
        }

        /** A unique, non-null column the pages are ordered and resumed by. */
        public Builder<T> keyColumn(String keyColumn) {
            this.keyColumn = keyColumn;
            return this;
        }

        /** Columns to select besides the key (which always comes first). */
        public Builder<T> columns(String... columns) {
            this.columns = List.of(columns);
            return this;
        }

        /**
         * SQL expressions selected after the columns, e.g. a LIST turned into a VARCHAR for
         * {@link #columnarRows}; written by the job, never taken from user input.
         */
        public Builder<T> computed(String... expressions) {
            this.computed = List.of(expressions);
            return this;
        }

        /**
         * One task's share of the table: the keys after {@code after} ({@code null}: from the
         * first) up to and including {@code upTo} ({@code null}: to the last).
         */
        public Builder<T> keyRange(Object after, Object upTo) {
            this.rangeAfter = after;
            this.rangeUpTo = upTo;
            return this;
        }

        /** Read pages column by column through DuckDB's data chunks instead of {@link #rowMapper}. */
        public Builder<T> columnarRows(ColumnarRowMapper<T> mapper) {
            this.columnarMapper = mapper;
            return this;
        }

        /**
         * The work predicate (rule 11): an SQL condition for the rows still needing work,
         * e.g. {@code "score IS NULL"} or {@code "updated_on > ?"}; its values are bound.
         */
        public Builder<T> workPredicate(String predicate, Object... parameters) {
            this.workPredicate = predicate;
            this.workParameters = Arrays.asList(parameters);
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
            if (this.name == null) {
                this.name = "keyset." + this.table;
            }
            try {
                return new KeysetItemReader<>(this);
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalStateException("KeysetItemReader: " + ex.getMessage(), ex);
            }
        }

    }

}
