package io.duckbatch.core.resume;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.duckbatch.core.duckdb.SqlNames;
import io.duckbatch.core.keyset.KeyRange;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Rule 11, intra-task: the destination table is the truth about how far a task got. A task
 * that resumes continues after {@code MAX(key)} of its own rows in the destination; a task
 * that starts fresh first deletes its own earlier rows, so running a job twice never
 * duplicates output. Whether a task is resuming is recorded in its step's ExecutionContext,
 * under a key of the component that opens the checkpoint ({@link #startedKey}), so that
 * components sharing a step each record their own start. The context is never trusted for the
 * position itself: Spring Batch 6.0 can save a context for a chunk that rolled back
 * (spring-batch#5182), while the destination commits atomically per chunk.
 * <p>
 * Restart contract: the task resumes after the greatest key of its rows in the destination,
 * so every row of a source key must commit in one transaction, keys in key order. Executions
 * recorded before the key was per component ({@code duckbatch.checkpoint.started}, shared by
 * the step) still resume on restart, as they did.
 * <p>
 * A task is the destination's rows of one task value ({@link Builder#task}), of one key
 * range ({@link Builder#keyRange}: a task that walks a share of the source by key and
 * writes every row of a source row in the same transaction), or both.
 */
public class DestinationCheckpoint {

    /**
     * The key every component of a step shared before it was per component: a step execution
     * recorded with it counts as started for each of them, as it then did. Never written.
     */
    static final String SHARED_STARTED_KEY = "duckbatch.checkpoint.started";

    private final DataSource destination;

    private final String table;

    private final String keyColumn;

    private final String taskColumn;

    private final Object taskValue;

    private final KeyRange range;

    private DestinationCheckpoint(Builder builder) {
        this.destination = builder.destination;
        this.table = builder.table;
        this.keyColumn = builder.keyColumn;
        this.taskColumn = builder.taskColumn;
        this.taskValue = builder.taskValue;
        this.range = builder.range;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides where a task starts: after the destination's {@code MAX(key)} when the context
     * shows the task already started, else (fresh start) after deleting its earlier rows.
     * @param name the reader or tasklet opening the checkpoint: names its key in the context
     * @return the key to read after, or {@code null} to read from the first row
     */
    public Object open(String name, ExecutionContext context) throws SQLException {
        String started = startedKey(name);
        if (context.containsKey(started) || context.containsKey(SHARED_STARTED_KEY)) {
            context.putString(started, "true");
            return lastKey();
        }
        clear();
        context.putString(started, "true");
        return null;
    }

    /** The ExecutionContext key recording that the task of the reader or tasklet {@code name} started. */
    public static String startedKey(String name) {
        return name + ".checkpoint.started";
    }

    /** {@code MAX(key)} of this task's rows in the destination, or {@code null} when none. */
    public Object lastKey() throws SQLException {
        try (Connection connection = this.destination.getConnection();
                PreparedStatement statement = connection
                    .prepareStatement("SELECT max(" + this.keyColumn + ") FROM " + this.table + taskFilter())) {
            bindTask(statement);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getObject(1);
            }
        }
    }

    /** Deletes this task's rows from the destination. */
    public void clear() throws SQLException {
        try (Connection connection = this.destination.getConnection();
                PreparedStatement statement = connection.prepareStatement("DELETE FROM " + this.table + taskFilter())) {
            bindTask(statement);
            statement.executeUpdate();
        }
    }

    private String taskFilter() {
        List<String> conditions = new ArrayList<>(3);
        if (this.taskColumn != null) {
            conditions.add(this.taskColumn + " = ?");
        }
        conditions.addAll(this.range.conditions(this.keyColumn));
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private void bindTask(PreparedStatement statement) throws SQLException {
        int index = 1;
        if (this.taskColumn != null) {
            statement.setObject(index++, this.taskValue);
        }
        this.range.bind(statement, index);
    }

    @Override
    public String toString() {
        return this.table + "." + this.keyColumn + ((this.taskColumn != null) ? " where " + this.taskColumn + " = "
                + this.taskValue : "") + (!this.range.equals(KeyRange.ALL) ? " in " + this.range : "");
    }

    public static final class Builder {

        private DataSource destination;

        private String table;

        private String keyColumn;

        private String taskColumn;

        private Object taskValue;

        private KeyRange range = KeyRange.ALL;

        private Builder() {
        }

        /** The database holding the destination table. */
        public Builder destination(DataSource destination) {
            this.destination = destination;
            return this;
        }

        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** The destination column holding the source key, written in key order. */
        public Builder keyColumn(String keyColumn) {
            this.keyColumn = keyColumn;
            return this;
        }

        /** Restricts the checkpoint to one task's rows: {@code WHERE column = value} (bound). */
        public Builder task(String column, Object value) {
            this.taskColumn = column;
            this.taskValue = value;
            return this;
        }

        /**
         * Restricts the checkpoint to the keys after {@code after} ({@code null}: from the
         * first) up to and including {@code upTo} ({@code null}: to the last), bound.
         */
        public Builder keyRange(Object after, Object upTo) {
            this.range = new KeyRange(after, upTo);
            return this;
        }

        public DestinationCheckpoint build() {
            if (this.destination == null) {
                throw new IllegalStateException("DestinationCheckpoint needs destination(DataSource)");
            }
            SqlNames.requirePlain("DestinationCheckpoint table", this.table);
            SqlNames.requirePlain("DestinationCheckpoint key column", this.keyColumn);
            if (this.taskColumn != null) {
                SqlNames.requirePlain("DestinationCheckpoint task column", this.taskColumn);
                if (this.taskValue == null) {
                    throw new IllegalStateException("DestinationCheckpoint task value for column '" + this.taskColumn
                            + "' must not be null");
                }
            }
            return new DestinationCheckpoint(this);
        }

    }

}
