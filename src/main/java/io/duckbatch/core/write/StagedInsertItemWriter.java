package io.duckbatch.core.write;

import java.sql.SQLException;
import java.util.List;

import io.duckbatch.core.duckdb.SqlNames;

import org.duckdb.DuckDBConnection;

import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Rule 8's variant for tables with DEFAULT or sequence columns: appends each chunk into a
 * temporary staging table holding only the given columns, then runs one
 * {@code INSERT INTO t(cols) SELECT cols FROM stage} so the database fills the rest. The
 * staging table copies its column types from the target ({@code CREATE TEMP TABLE AS SELECT
 * ... LIMIT 0}), never from the data, so nothing is type-inferred from a chunk.
 */
public class StagedInsertItemWriter<T> extends AbstractAppenderItemWriter<T> {

    private final List<String> columns;

    private final String stage;

    private final String insert;

    private StagedInsertItemWriter(Builder<T> builder) {
        super(builder.dataSource, builder.table, builder.columns, builder.binder, builder.timer);
        this.columns = builder.columns;
        this.stage = "duckbatch_stage_" + builder.table.replace('.', '_');
        String columnList = String.join(", ", this.columns);
        this.insert = "INSERT INTO " + builder.table + " (" + columnList + ") SELECT " + columnList + " FROM temp.main."
                + this.stage;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    protected void prepare(DuckDBConnection connection) throws SQLException {
        execute("CREATE OR REPLACE TEMP TABLE " + this.stage + " AS SELECT " + String.join(", ", this.columns) + " FROM "
                + table() + " LIMIT 0");
    }

    @Override
    protected void writeInTransaction(DuckDBConnection connection, Chunk<? extends T> chunk) throws SQLException {
        append(connection, "temp.main." + this.stage, chunk);
        execute(this.insert);
        execute("DELETE FROM temp.main." + this.stage);
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
            try {
                this.columns.forEach(column -> SqlNames.requirePlain("StagedInsertItemWriter column", column));
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalStateException(ex.getMessage(), ex);
            }
            return new StagedInsertItemWriter<>(this);
        }

    }

}
