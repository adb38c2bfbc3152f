package io.duckbatch.core.sql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.ReadOnlyAttachment;
import io.duckbatch.core.duckdb.SqlNames;
import io.duckbatch.core.keyset.KeyRange;
import io.duckbatch.core.keyset.KeyRangeWalk;
import io.duckbatch.core.keyset.KeysetQuery;
import io.duckbatch.core.keyset.RangeStatement;
import io.duckbatch.core.resume.DestinationCheckpoint;
import io.duckbatch.core.timing.SimplerTimer;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Rules 2, 3, 4 and 11 without the JVM on the data path: walks a source table in keyset
 * ranges of {@code rangeSize} rows and, for each, runs one
 * {@code INSERT INTO ... SELECT ... WHERE key > ? AND key <= ?} on the target connection,
 * with the source {@code ATTACH}ed read-only (or, without one, over a table of the target's
 * own: a work table a job built there). DuckDB finds the ranges' last keys (one sort
 * when the step opens); each INSERT commits on its own, one range per tasklet call, so a
 * stop request is seen between ranges and Spring Batch counts rows read and written.
 * <p>
 * Resume: after the destination's {@code MAX(key)} for the task ({@link DestinationCheckpoint}).
 * Ranges are inserted in key order and each is atomic, so every source row up to that key
 * was processed: a crash never duplicates or loses rows; at most ranges that wrote nothing
 * are run again.
 * <p>
 * One instance serves one step execution (see
 * {@link io.duckbatch.core.step.PerStepExecution#tasklet}); it holds one target connection
 * from {@link #open} to {@link #close}.
 */
public class KeysetRangeInsertTasklet implements Tasklet, ItemStream {

    /** Replaced in the INSERT by the range predicate on the key column. */
    public static final String RANGE = "{range}";

    private final String name;

    private final DataSource target;

    private final String sourceAlias;

    private final Path sourceFile;

    private final KeysetQuery keys;

    private final int rangeSize;

    private final String firstRangeSql;

    private final String nextRangeSql;

    private final List<Object> parameters;

    private final DestinationCheckpoint checkpoint;

    private final ConnectionCallback prepare;

    private final SimplerTimer timer;

    /** The task's share of the source table. */
    private final KeyRange share;

    private Connection connection;

    private RangeStatement inserts;

    /** The ranges still to insert, found when the step opens. */
    private KeyRangeWalk ranges;

    /** Work on the target connection before the first range, e.g. registering functions. */
    @FunctionalInterface
    public interface ConnectionCallback {

        void accept(Connection connection) throws SQLException;

    }

    private KeysetRangeInsertTasklet(Builder builder) {
        this.name = builder.name;
        this.target = builder.target;
        this.sourceAlias = builder.sourceAlias;
        this.sourceFile = builder.sourceFile;
        this.keys = new KeysetQuery((builder.sourceAlias != null) ? builder.sourceAlias + "." + builder.sourceTable
                : builder.sourceTable, builder.keyColumn, List.of(), null, List.of());
        this.rangeSize = builder.rangeSize;
        this.firstRangeSql = builder.insert.replace(RANGE, rangePredicate(builder.keyColumn, false));
        this.nextRangeSql = builder.insert.replace(RANGE, rangePredicate(builder.keyColumn, true));
        this.parameters = List.copyOf(builder.parameters);
        this.checkpoint = builder.checkpoint;
        this.prepare = builder.prepare;
        this.timer = (builder.timer != null) ? builder.timer : new SimplerTimer();
        this.share = builder.share;
    }

    private static String rangePredicate(String keyColumn, boolean after) {
        return "(" + String.join(" AND ", KeyRange.conditions(keyColumn, after, true)) + ")";
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void open(ExecutionContext context) {
        try {
            this.connection = this.target.getConnection();
            this.connection.setAutoCommit(true);
            if (this.sourceAlias != null) {
                ReadOnlyAttachment.attach(this.connection, this.sourceAlias, this.sourceFile);
            }
            if (this.prepare != null) {
                try (var t = this.timer.track("prepare")) {
                    this.prepare.accept(this.connection);
                }
            }
            Object resumeAfter;
            try (var t = this.timer.track("resume")) {
                resumeAfter = this.checkpoint.open(this.name, context);
            }
            try (var t = this.timer.track("ranges")) {
                this.ranges = KeyRangeWalk.cut(this.connection, this.keys, this.share.resumedAfter(resumeAfter), this.rangeSize);
            }
            context.putLong(KeyRangeWalk.rowsToReadKey(this.name), this.ranges.rows());
            // After prepare: the INSERT may call functions it registers.
            this.inserts = RangeStatement.prepare(this.connection, this.firstRangeSql, this.nextRangeSql);
        }
        catch (SQLException | RuntimeException ex) {
            close();
            throw new ItemStreamException(this.name + ": cannot open the target" + ((this.sourceAlias != null) ? " with "
                    + this.sourceFile + " attached as " + this.sourceAlias : "") + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        if (!this.ranges.next()) {
            return RepeatStatus.FINISHED;
        }
        KeyRange range = this.ranges.range();
        long rows = this.ranges.rangeRows();
        int written;
        try (var t = this.timer.track("insert")) {
            PreparedStatement insert = this.inserts.of(range);
            int index = 1;
            for (Object parameter : this.parameters) {
                insert.setObject(index++, parameter);
            }
            range.bind(insert, index);
            written = insert.executeUpdate();
        }
        // StepContribution counts reads one at a time only: a loop over a long, no rows.
        for (long row = 0; row < rows; row++) {
            contribution.incrementReadCount();
        }
        contribution.incrementWriteCount(written);
        contribution.incrementFilterCount(rows - written);
        return RepeatStatus.CONTINUABLE;
    }

    @Override
    public void close() {
        if (this.connection != null) {
            try {
                if (this.inserts != null) {
                    this.inserts.close();
                }
                if (this.sourceAlias != null) {
                    ReadOnlyAttachment.detach(this.connection, this.sourceAlias);
                }
            }
            catch (SQLException ex) {
                // Closing the connection below matters more; the alias dies with the target.
            }
            this.inserts = null;
            try {
                this.connection.close();
            }
            catch (SQLException ex) {
                throw new ItemStreamException(this.name + ": cannot close the target connection: " + ex.getMessage(), ex);
            }
            finally {
                this.connection = null;
            }
        }
    }

    public static final class Builder {

        private String name;

        private DataSource target;

        private String sourceAlias;

        private Path sourceFile;

        private String sourceTable;

        private String keyColumn;

        private int rangeSize;

        private String insert;

        private List<Object> parameters = List.of();

        private DestinationCheckpoint checkpoint;

        private ConnectionCallback prepare;

        private SimplerTimer timer;

        private KeyRange share = KeyRange.ALL;

        private Builder() {
        }

        /** Names the ExecutionContext keys and messages. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The DuckDB database the INSERTs run on. */
        public Builder target(DataSource target) {
            this.target = target;
            return this;
        }

        /**
         * The source DuckDB database, attached read-only to the target as {@code alias} while
         * the step runs. Attachments are database-wide: concurrent steps need their own alias.
         * Without a source, {@link #keys} names a table of the target.
         */
        public Builder source(String alias, DuckDbDataSource database) {
            this.sourceAlias = alias;
            this.sourceFile = database.path();
            return this;
        }

        /** The table walked in key order (the source's, or the target's without a source), and its key column. */
        public Builder keys(String table, String keyColumn) {
            this.sourceTable = table;
            this.keyColumn = keyColumn;
            return this;
        }

        public Builder rangeSize(int rangeSize) {
            this.rangeSize = rangeSize;
            return this;
        }

        /**
         * The INSERT run for each range: {@value KeysetRangeInsertTasklet#RANGE} marks where
         * the range predicate on the key goes, after every other {@code ?}; {@code values}
         * are bound to those first.
         */
        public Builder insert(String insert, Object... values) {
            this.insert = insert;
            this.parameters = List.of(values);
            return this;
        }

        /** Where the task resumes: the destination's {@code MAX(key)} for the task. */
        public Builder checkpoint(DestinationCheckpoint checkpoint) {
            this.checkpoint = checkpoint;
            return this;
        }

        /** Run on the target connection once, before the first range. */
        public Builder prepare(ConnectionCallback prepare) {
            this.prepare = prepare;
            return this;
        }

        public Builder timer(SimplerTimer timer) {
            this.timer = timer;
            return this;
        }

        /**
         * One task's share of the source table: the keys after {@code after} ({@code null}:
         * from the first) up to and including {@code upTo} ({@code null}: to the last). The
         * checkpoint must be restricted to the same range.
         */
        public Builder keyRange(Object after, Object upTo) {
            this.share = new KeyRange(after, upTo);
            return this;
        }

        public KeysetRangeInsertTasklet build() {
            if (this.name == null || this.name.isBlank()) {
                throw new IllegalStateException("KeysetRangeInsertTasklet needs name(...)");
            }
            if (this.target == null) {
                throw new IllegalStateException("KeysetRangeInsertTasklet '" + this.name + "' needs target(DataSource)");
            }
            if (this.sourceAlias != null) {
                SqlNames.requirePlain("KeysetRangeInsertTasklet '" + this.name + "' source alias", this.sourceAlias);
            }
            if (this.sourceAlias != null && (this.sourceFile == null || !Files.isRegularFile(this.sourceFile))) {
                throw new IllegalStateException("KeysetRangeInsertTasklet '" + this.name + "': source database "
                        + this.sourceFile + " does not exist");
            }
            SqlNames.requirePlain("KeysetRangeInsertTasklet '" + this.name + "' source table", this.sourceTable);
            SqlNames.requirePlain("KeysetRangeInsertTasklet '" + this.name + "' key column", this.keyColumn);
            if (this.rangeSize < 1) {
                throw new IllegalStateException("KeysetRangeInsertTasklet '" + this.name + "' range size must be positive, was "
                        + this.rangeSize);
            }
            if (this.insert == null || this.insert.indexOf(RANGE) < 0 || this.insert.indexOf(RANGE) != this.insert.lastIndexOf(RANGE)) {
                throw new IllegalStateException("KeysetRangeInsertTasklet '" + this.name + "' needs an insert with "
                        + RANGE + " exactly once, was: " + this.insert);
            }
            String afterRange = this.insert.substring(this.insert.indexOf(RANGE));
            long before = this.insert.substring(0, this.insert.indexOf(RANGE)).chars().filter(c -> c == '?').count();
            if (afterRange.indexOf('?') >= 0 || before != this.parameters.size()) {
                throw new IllegalStateException("KeysetRangeInsertTasklet '" + this.name + "': the insert must have one '?' per"
                        + " value (" + this.parameters.size() + "), all before " + RANGE + ", was: " + this.insert);
            }
            if (this.checkpoint == null) {
                throw new IllegalStateException("KeysetRangeInsertTasklet '" + this.name
                        + "' needs checkpoint(DestinationCheckpoint): where to resume");
            }
            return new KeysetRangeInsertTasklet(this);
        }

    }

}
