package io.duckbatch.core.write;

import java.sql.SQLException;
import java.util.List;

import org.duckdb.DuckDBConnection;

import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Appends each chunk straight into the table (rule 8's fast path): the binder supplies
 * every column, in table order. For tables with DEFAULT or sequence columns the binder can
 * leave to the database, use {@link StagedInsertItemWriter}.
 */
public class AppenderItemWriter<T> extends AbstractAppenderItemWriter<T> {

    private AppenderItemWriter(Builder<T> builder) {
        super(builder.dataSource, builder.table, List.of(), builder.binder, builder.timer);
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    protected void writeInTransaction(DuckDBConnection connection, Chunk<? extends T> chunk) throws SQLException {
        append(connection, table(), chunk);
    }

    public static final class Builder<T> extends AbstractAppenderItemWriter.Builder<T, Builder<T>> {

        private Builder() {
        }

        public AppenderItemWriter<T> build() {
            validate("AppenderItemWriter");
            return new AppenderItemWriter<>(this);
        }

    }

}
