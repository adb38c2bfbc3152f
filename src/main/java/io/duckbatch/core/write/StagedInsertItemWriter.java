package io.duckbatch.core.write;

import java.util.List;

/**
 * Rule 8's variant for tables with DEFAULT or sequence columns: stages each chunk's rows
 * (only the given columns) and runs one {@code INSERT INTO t(cols) SELECT cols FROM stage},
 * so the database fills the other columns.
 */
public class StagedInsertItemWriter<T> extends AbstractStagingItemWriter<T> {

    private final String columnList;

    private StagedInsertItemWriter(Builder<T> builder) {
        super(builder.dataSource, builder.table, builder.columns, builder.binder, builder.timer);
        this.columnList = String.join(", ", builder.columns);
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    protected String applyStatement(String stage) {
        return "INSERT INTO " + table() + " (" + this.columnList + ") SELECT " + this.columnList + " FROM " + stage;
    }

    public static final class Builder<T> extends AbstractAppenderItemWriter.Builder<T, Builder<T>> {

        private List<String> columns;

        private Builder() {
        }

        /** The columns the binder supplies, in its order; the table's others take their defaults. */
        public Builder<T> columns(String... columns) {
            this.columns = List.of(columns);
            return this;
        }

        public StagedInsertItemWriter<T> build() {
            validate("StagedInsertItemWriter");
            if (this.columns == null || this.columns.isEmpty()) {
                throw new IllegalStateException(
                        "StagedInsertItemWriter needs columns(...): the columns the binder supplies, in order");
            }
            requirePlainNames("StagedInsertItemWriter column", this.columns);
            return new StagedInsertItemWriter<>(this);
        }

    }

}
