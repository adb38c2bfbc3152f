package io.duckbatch.core.sql;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.ReadOnlyAttachment;
import io.duckbatch.core.duckdb.SqlNames;
import io.duckbatch.core.duckdb.Statements;
import io.duckbatch.core.duckdb.TableCheck;
import io.duckbatch.core.duckdb.TableSwap;
import io.duckbatch.core.timing.SimplerTimer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.dao.InvalidDataAccessResourceUsageException;

/**
 * Rules 4 and 9 as one step: builds a table entirely inside DuckDB, on the target's
 * connection, from SQL that may read other DuckDB files {@code ATTACH}ed read-only (the data
 * never enters the JVM). The table is built under a temporary name and swapped in with one
 * transaction ({@code DROP} old, {@code RENAME} new), so a reader sees the old table or the
 * new one, never a half-built one, and a failed build leaves the old table as it was.
 * Running it again rebuilds: idempotent, never duplicating rows. Declared column types
 * ({@link Builder#columns}) make the table's types independent of the data, so a column
 * whose first rows are all NULL cannot be mis-typed.
 */
public class AtomicTableBuildTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(AtomicTableBuildTasklet.class);

    private final DataSource database;

    private final Map<String, Path> attached;

    private final String table;

    private final String building;

    private final String columns;

    private final String select;

    private final SimplerTimer timer;

    /** Per attached table ({@code alias.table}), the columns the SELECT reads. */
    private final Map<String, List<String>> requiredColumns;

    private final List<String> inSwap;

    private final boolean countsWrites;

    private AtomicTableBuildTasklet(Builder builder) {
        this.database = builder.database;
        this.attached = Map.copyOf(builder.attached);
        this.table = builder.table;
        this.building = builder.table + "__building";
        this.columns = builder.columns;
        this.select = builder.select;
        this.timer = (builder.timer != null) ? builder.timer : new SimplerTimer();
        this.requiredColumns = Map.copyOf(builder.requiredColumns);
        this.inSwap = List.copyOf(builder.inSwap);
        this.countsWrites = builder.countsWrites;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        long start = System.nanoTime();
        long rows;
        try (Connection connection = this.database.getConnection()) {
            attach(connection);
            try {
                requireSourceColumns(connection);
                try (var t = this.timer.track("sql")) {
                    rows = build(connection);
                }
                try (var t = this.timer.track("swap")) {
                    TableSwap.swapIn(connection, Map.of(this.building, this.table), this.inSwap);
                }
            }
            catch (InvalidDataAccessResourceUsageException ex) {
                throw ex; // a missing source table or column, found before anything was built
            }
            catch (SQLException | RuntimeException ex) {
                TableSwap.dropQuietly(connection, ex, this.building);
                throw new SQLException("Building table '" + this.table + "' in " + this.database + " failed: "
                        + ex.getMessage(), ex);
            }
            finally {
                detach(connection);
            }
        }
        if (this.countsWrites) {
            contribution.incrementWriteCount(rows);
        }
        log.info(String.format(Locale.ROOT, "Built table %s in %s: %,d rows in %.2f s", this.table, this.database, rows,
                (System.nanoTime() - start) / 1e9));
        return RepeatStatus.FINISHED;
    }

    /** The source columns the SELECT reads, checked before it runs: a missing one is named, not a Binder Error. */
    private void requireSourceColumns(Connection connection) throws SQLException {
        for (Map.Entry<String, List<String>> required : this.requiredColumns.entrySet()) {
            String table = required.getKey();
            String alias = table.substring(0, table.indexOf('.'));
            TableCheck.requireColumns(connection, String.valueOf(this.attached.get(alias)), table, required.getValue());
        }
    }

    private void attach(Connection connection) throws SQLException {
        for (Map.Entry<String, Path> source : this.attached.entrySet()) {
            ReadOnlyAttachment.attach(connection, source.getKey(), source.getValue());
        }
    }

    private void detach(Connection connection) throws SQLException {
        for (String alias : this.attached.keySet()) {
            ReadOnlyAttachment.detach(connection, alias);
        }
    }

    private long build(Connection connection) throws SQLException {
        Statements.execute(connection, "DROP TABLE IF EXISTS " + this.building);
        if (this.columns != null) {
            Statements.execute(connection, "CREATE TABLE " + this.building + " (" + this.columns + ")");
            Statements.execute(connection, "INSERT INTO " + this.building + " " + this.select);
        }
        else {
            Statements.execute(connection, "CREATE TABLE " + this.building + " AS " + this.select);
        }
        return Statements.longValue(connection, "SELECT count(*) FROM " + this.building);
    }

    public static final class Builder {

        private DataSource database;

        private final Map<String, Path> attached = new LinkedHashMap<>();

        private final Map<String, List<String>> requiredColumns = new LinkedHashMap<>();

        private final List<String> inSwap = new ArrayList<>();

        private String table;

        private String columns;

        private String select;

        private SimplerTimer timer;

        private boolean countsWrites = true;

        private Builder() {
        }

        /** The database the table is built in (the target). */
        public Builder database(DataSource database) {
            this.database = database;
            return this;
        }

        /** Attaches another DuckDB database read-only under {@code alias} for the duration of the build. */
        public Builder attach(String alias, DuckDbDataSource database) {
            return attach(alias, database.path());
        }

        /** A database file attached READ_ONLY as {@code alias}, e.g. a shard only known when the step runs. */
        public Builder attach(String alias, Path file) {
            this.attached.put(SqlNames.requirePlain("attached alias", alias), file);
            return this;
        }

        /**
         * A statement run in the swap's transaction, after the new table is in place: it
         * commits with the swap or not at all (e.g. rows appended to another table from the
         * attached databases).
         */
        public Builder inSwap(String sql) {
            this.inSwap.add(sql);
            return this;
        }

        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /**
         * The table's column definitions ({@code "id VARCHAR PRIMARY KEY, tags VARCHAR[]"}):
         * the rows are then inserted with {@code INSERT INTO ... SELECT}. Without them the
         * table is {@code CREATE TABLE AS SELECT}, typed by the query.
         */
        public Builder columns(String columns) {
            this.columns = columns;
            return this;
        }

        /**
         * Columns the SELECT reads from {@code table} of the database attached as
         * {@code alias}: checked before it runs, so a source without one fails naming it.
         */
        public Builder requireColumns(String alias, String table, String... columns) {
            this.requiredColumns.put(SqlNames.requirePlain("attached alias", alias) + "."
                    + SqlNames.requirePlain("source table", table), List.of(columns));
            return this;
        }

        /** The {@code SELECT} producing the rows; it may read the attached databases by alias. */
        public Builder select(String select) {
            this.select = select;
            return this;
        }

        /** Times the phases {@code sql} and {@code swap} in this step execution's timer. */
        public Builder timer(SimplerTimer timer) {
            this.timer = timer;
            return this;
        }

        /**
         * The step does not count the table's rows as written: steps before it wrote and
         * counted them (the shards a distributed run merges), so the run's total stays the
         * rows its tasks wrote, as in one process.
         */
        public Builder rowsCountedByEarlierSteps() {
            this.countsWrites = false;
            return this;
        }

        public AtomicTableBuildTasklet build() {
            if (this.database == null) {
                throw new IllegalStateException("AtomicTableBuildTasklet needs database(...): where the table is built");
            }
            if (this.select == null || this.select.isBlank()) {
                throw new IllegalStateException("AtomicTableBuildTasklet needs select(\"SELECT ...\"): the rows of the table");
            }
            try {
                SqlNames.requirePlain("AtomicTableBuildTasklet table", this.table);
                for (Map.Entry<String, Path> source : this.attached.entrySet()) {
                    SqlNames.requirePlain("AtomicTableBuildTasklet alias", source.getKey());
                    if (source.getValue() == null) {
                        throw new IllegalArgumentException("AtomicTableBuildTasklet: no file for alias " + source.getKey());
                    }
                }
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalStateException(ex.getMessage(), ex);
            }
            return new AtomicTableBuildTasklet(this);
        }

    }

}
