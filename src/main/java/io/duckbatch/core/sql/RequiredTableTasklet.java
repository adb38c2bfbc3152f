package io.duckbatch.core.sql;

import java.sql.Connection;
import java.util.List;

import javax.sql.DataSource;

import io.duckbatch.core.duckdb.SqlNames;
import io.duckbatch.core.duckdb.TableCheck;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.dao.InvalidDataAccessResourceUsageException;

/**
 * A first step for jobs that work on a table another job produces: fails, before anything
 * is written, with one line naming the table, the missing columns, the database and what to
 * do to produce them.
 */
public class RequiredTableTasklet implements Tasklet {

    private final DataSource database;

    private final String table;

    private final List<String> columns;

    private final String remedy;

    /**
     * @param remedy what the user should do to produce the table, e.g. {@code "run job companyCopy first"}
     */
    public RequiredTableTasklet(DataSource database, String table, List<String> columns, String remedy) {
        if (database == null) {
            throw new IllegalArgumentException("RequiredTableTasklet needs the database holding the table");
        }
        this.database = database;
        this.table = SqlNames.requirePlain("RequiredTableTasklet table", table);
        this.columns = List.copyOf(columns);
        this.columns.forEach(column -> SqlNames.requirePlain("RequiredTableTasklet column", column));
        this.remedy = remedy;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        try (Connection connection = this.database.getConnection()) {
            TableCheck.requireColumns(connection, this.database.toString(), this.table, this.columns);
        }
        catch (InvalidDataAccessResourceUsageException ex) {
            throw new InvalidDataAccessResourceUsageException(ex.getMessage() + "; " + this.remedy, ex);
        }
        return RepeatStatus.FINISHED;
    }

}
