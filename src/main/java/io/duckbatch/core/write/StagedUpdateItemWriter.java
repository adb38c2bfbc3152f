package io.duckbatch.core.write;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Rule 10, for when updates are unavoidable: stages each chunk's {@code (key, new values)}
 * rows and applies them with one {@code UPDATE t SET c = s.c, ... FROM stage s WHERE t.key =
 * s.key}, never one UPDATE per row. Keys not in the table change nothing. The binder appends
 * the key first, then the updated columns in the order given.
 */
public class StagedUpdateItemWriter<T> extends AbstractStagingItemWriter<T> {

    private final String keyColumn;

    private final List<String> updatedColumns;

    private StagedUpdateItemWriter(Builder<T> builder) {
        super(builder.dataSource, builder.table, staged(builder), builder.binder, builder.timer);
        this.keyColumn = builder.keyColumn;
        this.updatedColumns = builder.updatedColumns;
    }

    private static List<String> staged(Builder<?> builder) {
        List<String> columns = new ArrayList<>();
        columns.add(builder.keyColumn);
        columns.addAll(builder.updatedColumns);
        return columns;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    protected String applyStatement(String stage) {
        String assignments = this.updatedColumns.stream()
            .map(column -> column + " = s." + column)
            .collect(Collectors.joining(", "));
        return "UPDATE " + table() + " SET " + assignments + " FROM " + stage + " s WHERE " + table() + "."
                + this.keyColumn + " = s." + this.keyColumn;
    }

    public static final class Builder<T> extends AbstractAppenderItemWriter.Builder<T, Builder<T>> {

        private String keyColumn;

        private List<String> updatedColumns = List.of();

        private Builder() {
        }

        /** The column identifying the row to update; the binder appends it first. */
        public Builder<T> keyColumn(String keyColumn) {
            this.keyColumn = keyColumn;
            return this;
        }

        /** The columns to set, in the order the binder appends them after the key. */
        public Builder<T> updatedColumns(String... columns) {
            this.updatedColumns = List.of(columns);
            return this;
        }

        public StagedUpdateItemWriter<T> build() {
            validate("StagedUpdateItemWriter");
            if (this.keyColumn == null) {
                throw new IllegalStateException("StagedUpdateItemWriter needs keyColumn(...): the column identifying rows");
            }
            if (this.updatedColumns.isEmpty()) {
                throw new IllegalStateException("StagedUpdateItemWriter needs updatedColumns(...): the columns to set");
            }
            if (this.updatedColumns.contains(this.keyColumn)) {
                throw new IllegalStateException("StagedUpdateItemWriter: key column '" + this.keyColumn
                        + "' cannot also be an updated column");
            }
            requirePlainNames("StagedUpdateItemWriter column", staged(this));
            return new StagedUpdateItemWriter<>(this);
        }

    }

}
