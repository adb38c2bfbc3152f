package io.duckbatch.core.write;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import io.duckbatch.core.duckdb.SqlNames;
import io.duckbatch.core.duckdb.TableCheck;
import io.duckbatch.core.timing.SimplerTimer;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Rules 5 and 8: writes each chunk through a {@link DuckDBAppender} inside one explicit
 * DuckDB transaction on the writer's own connection, so a chunk's rows commit together or
 * not at all. (An explicit {@code BEGIN} is needed: an appender on a JDBC connection with
 * auto-commit off but no statement run yet commits on its own.) Subclasses decide where the
 * rows are appended and what happens to them before the commit. Timed as phase
 * {@code write}.
 */
public abstract class AbstractAppenderItemWriter<T> implements ItemStreamWriter<T> {

    private final DataSource dataSource;

    private final String table;

    private final List<String> checkedColumns;

    private final RowBinder<T> binder;

    private final SimplerTimer timer;

    private DuckDBConnection connection;

    protected AbstractAppenderItemWriter(DataSource dataSource, String table, List<String> checkedColumns,
            RowBinder<T> binder, SimplerTimer timer) {
        this.dataSource = dataSource;
        this.table = table;
        this.checkedColumns = checkedColumns;
        this.binder = binder;
        this.timer = (timer != null) ? timer : new SimplerTimer();
    }

    @Override
    public void open(ExecutionContext context) throws ItemStreamException {
        try {
            this.connection = this.dataSource.getConnection().unwrap(DuckDBConnection.class);
            TableCheck.requireColumns(this.connection, this.dataSource.toString(), this.table, this.checkedColumns);
            prepare(this.connection);
        }
        catch (SQLException | RuntimeException ex) {
            close();
            throw new ItemStreamException("Cannot open writer for table '" + this.table + "' of " + this.dataSource
                    + ": " + ex.getMessage(), ex);
        }
    }

    /** Called once when the writer opens, on its connection (e.g. to create a staging table). */
    protected void prepare(DuckDBConnection connection) throws SQLException {
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
            execute("BEGIN TRANSACTION");
            try {
                writeInTransaction(this.connection, chunk);
                execute("COMMIT");
            }
            catch (Exception ex) {
                try {
                    execute("ROLLBACK");
                }
                catch (SQLException rollbackFailure) {
                    ex.addSuppressed(rollbackFailure);
                }
                throw ex;
            }
        }
    }

    /** Writes the chunk; the caller commits when it returns and rolls back when it throws. */
    protected abstract void writeInTransaction(DuckDBConnection connection, Chunk<? extends T> chunk)
            throws SQLException;

    /** Appends every item of the chunk to {@code table} ({@code [catalog.][schema.]name}). */
    protected void append(DuckDBConnection connection, String table, Chunk<? extends T> chunk) throws SQLException {
        String[] parts = table.split("\\.");
        try (DuckDBAppender appender = switch (parts.length) {
            case 1 -> connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, parts[0]);
            case 2 -> connection.createAppender(parts[0], parts[1]);
            default -> connection.createAppender(parts[0], parts[1], parts[2]);
        }) {
            for (T item : chunk) {
                appender.beginRow();
                this.binder.bind(item, appender);
                appender.endRow();
            }
        }
    }

    protected void execute(String sql) throws SQLException {
        try (Statement statement = this.connection.createStatement()) {
            statement.execute(sql);
        }
    }

    protected String table() {
        return this.table;
    }

    @Override
    public void close() {
        if (this.connection != null) {
            try {
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

    /** Shared builder settings and their validation. */
    protected abstract static class Builder<T, B extends Builder<T, B>> {

        protected DataSource dataSource;

        protected String table;

        protected RowBinder<T> binder;

        protected SimplerTimer timer;

        /** The database holding the table (a {@code DuckDbDataSource} or any DuckDB DataSource). */
        public B dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return self();
        }

        public B table(String table) {
            this.table = table;
            return self();
        }

        public B binder(RowBinder<T> binder) {
            this.binder = binder;
            return self();
        }

        public B timer(SimplerTimer timer) {
            this.timer = timer;
            return self();
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        protected static void requirePlainNames(String role, List<String> names) {
            try {
                names.forEach(name -> SqlNames.requirePlain(role, name));
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalStateException(ex.getMessage(), ex);
            }
        }

        protected void validate(String component) {
            if (this.dataSource == null) {
                throw new IllegalStateException(component + " needs dataSource(...): the DuckDB database to write");
            }
            if (this.binder == null) {
                throw new IllegalStateException(component + " needs binder((item, row) -> row.append(...)...)");
            }
            try {
                SqlNames.requirePlain(component + " table", this.table);
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalStateException(ex.getMessage(), ex);
            }
        }

    }

}
