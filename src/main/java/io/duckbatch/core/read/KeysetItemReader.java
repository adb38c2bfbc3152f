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

import io.duckbatch.core.load.JobDatasets;
import io.duckbatch.core.load.LoadedRows;
import io.duckbatch.core.load.SharedRanges;
import io.duckbatch.core.resume.DestinationCheckpoint;
import io.duckbatch.core.timing.SimplerTimer;

import org.springframework.batch.core.job.JobExecution;
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
 * Given {@link LoadedRows} of the same query (rule 1: the dataset was loaded once because
 * it fits in memory and several tasks need it), pages are slices of those rows instead of
 * queries; where to start is still decided by DuckDB ({@link KeysetQuery#countUpTo}).
 */
public class KeysetItemReader<T> implements ItemStreamReader<T> {

    private final String name;

    private final DataSource dataSource;

    private final KeysetQuery query;

    private final RowMapper<T> rowMapper;

    private final int pageSize;

    private final DestinationCheckpoint checkpoint;

    private final SimplerTimer timer;

    private final LoadedRows<T> loaded;

    private final ArrayList<T> buffer;

    private List<T> page;

    private int loadedPosition;

    private Connection connection;

    private PreparedStatement firstPage;

    private PreparedStatement nextPage;

    private Object pageStartKey;

    private Object nextPageStartKey;

    private int index;

    private boolean lastPage;

    private long rowsToRead;

    private final SharedRanges sharedRanges;

    /** The pages still to read, as their last keys: found by DuckDB when the reader opens. */
    private Deque<KeysetQuery.Range> ranges;

    private KeysetItemReader(Builder<T> builder) {
        this.name = builder.name;
        this.dataSource = builder.dataSource;
        this.query = new KeysetQuery(builder.table, builder.keyColumn, builder.columns, builder.workPredicate,
                builder.workParameters);
        this.rowMapper = builder.rowMapper;
        this.pageSize = builder.pageSize;
        this.checkpoint = builder.checkpoint;
        this.timer = (builder.timer != null) ? builder.timer : new SimplerTimer();
        this.loaded = builder.loaded;
        this.sharedRanges = builder.sharedRanges;
        this.buffer = (this.loaded != null) ? null : new ArrayList<>(this.pageSize);
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
            if (this.loaded != null) {
                this.loadedPosition = (this.nextPageStartKey != null)
                        ? (int) this.query.countUpTo(this.connection, this.nextPageStartKey) : 0;
                this.rowsToRead = this.loaded.size() - this.loadedPosition - skip;
            }
            else {
                this.ranges = new ArrayDeque<>((this.sharedRanges != null)
                        ? this.sharedRanges.find(this.query, this.connection, this.nextPageStartKey, this.pageSize)
                        : this.query.ranges(this.connection, this.nextPageStartKey, this.pageSize));
                this.rowsToRead = this.ranges.stream().mapToLong(KeysetQuery.Range::rows).sum() - skip;
                this.firstPage = this.connection.prepareStatement(this.query.rangePageSql(false));
                this.nextPage = this.connection.prepareStatement(this.query.rangePageSql(true));
            }
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
            int rows = (this.loaded != null) ? slicePage() : queryPage();
            this.lastPage = rows < this.pageSize;
        }
    }

    private int slicePage() {
        int from = this.loadedPosition;
        int to = Math.min(from + this.pageSize, this.loaded.size());
        this.page = this.loaded.slice(from, to);
        this.loadedPosition = to;
        if (to - from == this.pageSize) {
            this.nextPageStartKey = this.loaded.key(to - 1);
        }
        return to - from;
    }

    private int queryPage() throws SQLException {
        this.buffer.clear();
        this.page = this.buffer;
        KeysetQuery.Range range = this.ranges.poll();
        if (range == null) {
            return 0;
        }
        PreparedStatement statement = (this.pageStartKey == null) ? this.firstPage : this.nextPage;
        this.query.bindRangePage(statement, this.pageStartKey, range.upTo());
        int rows = 0;
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                this.buffer.add(this.rowMapper.mapRow(rs, rows++));
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
        return name + ".rowsToRead";
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

        private String workPredicate;

        private List<Object> workParameters = List.of();

        private int pageSize = 10_000;

        private RowMapper<T> rowMapper;

        private DestinationCheckpoint checkpoint;

        private SimplerTimer timer;

        private LoadedRows<T> loaded;

        private SharedRanges sharedRanges;

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

        /**
         * Read pages from rows of this same query loaded once in memory (see
         * {@code LoadDecider}); {@code null} reads from the database.
         */
        public Builder<T> preloaded(LoadedRows<T> loaded) {
            this.loaded = loaded;
            return this;
        }

        /**
         * Readers of {@code job} that start from the beginning find the page ranges once
         * between them ({@link SharedRanges}): readers passing the same name must read the
         * same rows (table, work predicate and values).
         */
        public Builder<T> shareRanges(JobDatasets datasets, JobExecution job, String name) {
            this.sharedRanges = new SharedRanges(datasets, job, name);
            return this;
        }

        public KeysetItemReader<T> build() {
            if (this.dataSource == null) {
                throw new IllegalStateException("KeysetItemReader needs dataSource(...): the database to read");
            }
            if (this.rowMapper == null) {
                throw new IllegalStateException("KeysetItemReader needs rowMapper(...): how to turn a row into an item");
            }
            if (this.pageSize < 1) {
                throw new IllegalStateException("KeysetItemReader pageSize must be at least 1, was " + this.pageSize);
            }
            if (this.sharedRanges != null && !this.sharedRanges.isComplete()) {
                throw new IllegalStateException("KeysetItemReader: shareRanges(...) needs the job datasets, the job"
                        + " execution and a name for the ranges");
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
