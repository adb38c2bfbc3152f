package io.duckbatch.core.write;

import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import io.duckbatch.core.timing.SimplerTimer;

import org.duckdb.DuckDBConnection;

import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Appends each chunk into a temporary staging table, then applies it to the target with one
 * set-based statement, in the chunk's transaction. The staging table takes its column types
 * from the target ({@code CREATE TEMP TABLE AS SELECT ... LIMIT 0}), never from the data, so
 * nothing is type-inferred from a chunk. It lives on the writer's own connection, so
 * concurrent writers do not share it.
 */
public abstract class AbstractStagingItemWriter<T> extends AbstractAppenderItemWriter<T> {

    private final List<String> stagedColumns;

    private final String stageName;

    private final String stage;

    protected AbstractStagingItemWriter(DataSource dataSource, String table, List<String> stagedColumns,
            RowBinder<T> binder, SimplerTimer timer) {
        super(dataSource, table, stagedColumns, binder, timer);
        this.stagedColumns = stagedColumns;
        this.stageName = "duckbatch_stage_" + table.replace('.', '_');
        this.stage = "temp.main." + this.stageName;
    }

    @Override
    protected void prepare(DuckDBConnection connection) throws SQLException {
        execute("CREATE OR REPLACE TEMP TABLE " + this.stageName + " AS SELECT " + String.join(", ", this.stagedColumns) + " FROM "
                + table() + " LIMIT 0");
    }

    @Override
    protected void writeInTransaction(DuckDBConnection connection, Chunk<? extends T> chunk) throws SQLException {
        append(connection, this.stage, chunk);
        execute(applyStatement(this.stage));
        execute("DELETE FROM " + this.stage);
    }

    /** The one statement that applies the staged rows (columns as staged) to the target table. */
    protected abstract String applyStatement(String stage);

}
