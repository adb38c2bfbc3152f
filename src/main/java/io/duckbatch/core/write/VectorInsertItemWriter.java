package io.duckbatch.core.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import javax.sql.DataSource;

import io.duckbatch.core.duckdb.SqlNames;
import io.duckbatch.core.duckdb.TableCheck;
import io.duckbatch.core.timing.SimplerTimer;

import org.duckdb.DuckDBColumnType;
import org.duckdb.DuckDBDataChunkWriter;
import org.duckdb.DuckDBFunctions;
import org.duckdb.DuckDBTableFunction;
import org.duckdb.DuckDBTableFunctionBindInfo;
import org.duckdb.DuckDBTableFunctionCallInfo;
import org.duckdb.DuckDBTableFunctionInitInfo;
import org.duckdb.DuckDBWritableVector;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Rules 5 and 8 with whole vectors: a chunk is handed to DuckDB column by column through a
 * Java table function that this writer registers on its connection, and written by one
 * {@code INSERT INTO table SELECT ... FROM function()} in one transaction. Strings cross
 * JNI a vector (2,048 values) at a time instead of a value at a time, and the SELECT can
 * finish columns in SQL (e.g. a joined text back into a LIST, which DuckDB 2.0's Java
 * vectors cannot write). Measured against the Appender in docs/benchmarks.md. Timed as phase
 * {@code write}.
 * <p>
 * The function is named after the writer and a counter (functions are database-wide), reads
 * only the chunk being written and is driven by the writer's own INSERT.
 */
public class VectorInsertItemWriter<T> implements ItemStreamWriter<T> {

    private static final AtomicLong FUNCTIONS = new AtomicLong();

    private final DataSource dataSource;

    private final String table;

    private final List<Column<T>> columns;

    private final SimplerTimer timer;

    private final String function;

    private final String insert;

    private Connection connection;

    private PreparedStatement insertStatement;

    /** The chunk being written: read by the table function, on DuckDB's thread, during this writer's INSERT. */
    private volatile List<? extends T> items = List.of();

    private VectorInsertItemWriter(Builder<T> builder) {
        this.dataSource = builder.dataSource;
        this.table = builder.table;
        this.columns = List.copyOf(builder.columns);
        this.timer = (builder.timer != null) ? builder.timer : new SimplerTimer();
        this.function = "duckbatch_vectors_" + this.table + "_" + FUNCTIONS.incrementAndGet();
        List<String> names = new ArrayList<>();
        List<String> select = new ArrayList<>();
        for (Column<T> column : this.columns) {
            names.add(column.name);
            select.add(column.select);
        }
        this.insert = "INSERT INTO " + this.table + " (" + String.join(", ", names) + ") SELECT " + String.join(", ", select)
                + " FROM " + this.function + "()";
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    public void open(ExecutionContext context) throws ItemStreamException {
        try {
            this.connection = this.dataSource.getConnection();
            this.connection.setAutoCommit(true);
            TableCheck.requireColumns(this.connection, this.dataSource.toString(), this.table,
                    this.columns.stream().map(c -> c.name).toList());
            DuckDBFunctions.tableFunction().withName(this.function).withFunction(new ChunkSource()).register(this.connection);
        }
        catch (SQLException | RuntimeException ex) {
            close();
            throw new ItemStreamException("Cannot open writer for table '" + this.table + "' of " + this.dataSource + ": "
                    + ex.getMessage(), ex);
        }
    }

    @Override
    public void write(Chunk<? extends T> chunk) throws Exception {
        if (chunk.isEmpty()) {
            return;
        }
        if (this.connection == null) {
            throw new IllegalStateException("Writer for table '" + this.table + "' is not open");
        }
        try (var t = this.timer.track("write")) {
            this.items = chunk.getItems();
            if (this.insertStatement == null) {
                // Planned once, run per chunk; the driver closes it when a run fails.
                this.insertStatement = this.connection.prepareStatement(this.insert);
            }
            // One statement on an auto-commit connection: one transaction, all rows or none.
            this.insertStatement.execute();
        }
        catch (SQLException ex) {
            closeInsert();
            throw ex;
        }
        finally {
            this.items = List.of();
        }
    }

    @Override
    public void close() {
        if (this.connection != null) {
            try {
                closeInsert();
                this.connection.close();
            }
            catch (SQLException ex) {
                throw new ItemStreamException("Cannot close writer for table '" + this.table + "'", ex);
            }
            finally {
                this.connection = null;
            }
        }
    }

    private void closeInsert() {
        if (this.insertStatement != null) {
            try {
                this.insertStatement.close();
            }
            catch (SQLException ex) {
                // Already closed by the driver after a failed run.
            }
            this.insertStatement = null;
        }
    }

    /** Emits the current chunk's items, a vector's worth per call. */
    private final class ChunkSource implements DuckDBTableFunction<Object, int[], Object> {

        @Override
        public Object bind(DuckDBTableFunctionBindInfo info) {
            for (Column<T> column : VectorInsertItemWriter.this.columns) {
                info.addResultColumn(column.name, column.type);
            }
            return null;
        }

        @Override
        public int[] init(DuckDBTableFunctionInitInfo info) {
            info.setMaxThreads(1);
            return new int[1]; // the next item to emit
        }

        @Override
        public long apply(DuckDBTableFunctionCallInfo info, DuckDBDataChunkWriter out) {
            int[] next = info.getInitData();
            List<? extends T> items = VectorInsertItemWriter.this.items;
            int from = next[0];
            int count = (int) Math.min(out.capacity(), items.size() - from);
            if (count <= 0) {
                return 0;
            }
            List<? extends T> slice = items.subList(from, from + count);
            List<Column<T>> columns = VectorInsertItemWriter.this.columns;
            for (int c = 0; c < columns.size(); c++) {
                columns.get(c).fill(slice, out.vector(c));
            }
            next[0] = from + count;
            return count;
        }

    }

    /** One column: its name in the table, its type in the function, how its values are made. */
    private abstract static class Column<T> {

        final String name;

        final DuckDBColumnType type;

        final String select;

        Column(String name, DuckDBColumnType type, String select) {
            this.name = name;
            this.type = type;
            this.select = select;
        }

        abstract void fill(List<? extends T> items, DuckDBWritableVector vector);

    }

    private static final class VarcharColumn<T> extends Column<T> {

        private final Function<T, String> value;

        VarcharColumn(String name, String select, Function<T, String> value) {
            super(name, DuckDBColumnType.VARCHAR, select);
            this.value = value;
        }

        @Override
        void fill(List<? extends T> items, DuckDBWritableVector vector) {
            String[] values = new String[items.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = this.value.apply(items.get(i));
            }
            // One JNI call for the vector; NULLs are set one by one after it.
            vector.setStrings(0, values);
            for (int i = 0; i < values.length; i++) {
                if (values[i] == null) {
                    vector.setNull(i);
                }
            }
        }

    }

    private static final class DoubleColumn<T> extends Column<T> {

        private final ToDoubleFunction<T> value;

        DoubleColumn(String name, ToDoubleFunction<T> value) {
            super(name, DuckDBColumnType.DOUBLE, name);
            this.value = value;
        }

        @Override
        void fill(List<? extends T> items, DuckDBWritableVector vector) {
            for (int i = 0; i < items.size(); i++) {
                vector.setDouble(i, this.value.applyAsDouble(items.get(i)));
            }
        }

    }

    public static final class Builder<T> {

        private DataSource dataSource;

        private String table;

        private final List<Column<T>> columns = new ArrayList<>();

        private SimplerTimer timer;

        private Builder() {
        }

        /** The DuckDB database holding the table. */
        public Builder<T> dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        public Builder<T> table(String table) {
            this.table = table;
            return this;
        }

        /** A VARCHAR column of the table and its value per item. */
        public Builder<T> varchar(String column, Function<T, String> value) {
            return varchar(column, column, value);
        }

        /**
         * A column written from a VARCHAR the function emits under the column's name, turned
         * into the column's value by {@code select}, an SQL expression over that name (e.g.
         * {@code string_split(tags, ',')} for a VARCHAR[] column); written by the job, never
         * taken from user input.
         */
        public Builder<T> varchar(String column, String select, Function<T, String> value) {
            this.columns.add(new VarcharColumn<>(column, select, value));
            return this;
        }

        /** A DOUBLE column of the table and its value per item. */
        public Builder<T> float8(String column, ToDoubleFunction<T> value) {
            this.columns.add(new DoubleColumn<>(column, value));
            return this;
        }

        public Builder<T> timer(SimplerTimer timer) {
            this.timer = timer;
            return this;
        }

        public VectorInsertItemWriter<T> build() {
            if (this.dataSource == null) {
                throw new IllegalStateException("VectorInsertItemWriter needs dataSource(...): the DuckDB database to write");
            }
            try {
                SqlNames.requirePlain("VectorInsertItemWriter table", this.table);
                this.columns.forEach(c -> SqlNames.requirePlain("VectorInsertItemWriter column", c.name));
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalStateException(ex.getMessage(), ex);
            }
            if (this.columns.isEmpty()) {
                throw new IllegalStateException("VectorInsertItemWriter for table '" + this.table
                        + "' needs its columns: varchar(...), float8(...)");
            }
            return new VectorInsertItemWriter<>(this);
        }

    }

}
