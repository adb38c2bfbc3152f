package io.duckbatch.core.sql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;

import org.springframework.dao.InvalidDataAccessResourceUsageException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicTableBuildTaskletTest {

    @TempDir
    Path dir;

    private static long run(AtomicTableBuildTasklet tasklet) throws Exception {
        StepExecution step = new StepExecution(1L, "build", new JobExecution(1L, new JobInstance(1L, "job"), new JobParameters()));
        StepContribution contribution = new StepContribution(step);
        tasklet.execute(contribution, new ChunkContext(new StepContext(step)));
        return contribution.getWriteCount();
    }

    private static long scalar(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void buildsFromAnAttachedReadOnlySourceAndLeavesItUntouched() throws Exception {
        Path source = this.dir.resolve("it's source.duckdb");
        DuckDbFiles.execute(source, "CREATE TABLE numbers AS SELECT i FROM range(1000) t(i)");
        byte[] before = Files.readAllBytes(source);
        Path target = this.dir.resolve("target.duckdb");
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(target)) {
            AtomicTableBuildTasklet tasklet = AtomicTableBuildTasklet.builder()
                .database(database)
                .attach("src", DuckDbDataSource.readOnly(source))
                .table("evens")
                .columns("i BIGINT PRIMARY KEY")
                .select("SELECT i FROM src.numbers WHERE i % 2 = 0")
                .build();
            assertThat(run(tasklet)).isEqualTo(500);
            assertThat(run(tasklet)).as("a re-run rebuilds, never appends").isEqualTo(500);
            try (Connection connection = database.getConnection()) {
                assertThat(scalar(connection, "SELECT count(*) FROM evens")).isEqualTo(500);
                assertThat(scalar(connection, "SELECT count(*) FROM duckdb_databases() WHERE database_name = 'src'")).isZero();
                assertThat(scalar(connection, "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%__building'")).isZero();
            }
        }
        assertThat(Files.readAllBytes(source)).isEqualTo(before);
    }

    /** A merge of rows counted where they were written (shards) builds the table without counting them again. */
    @Test
    void rowsCountedByEarlierStepsAreNotCountedAgain() throws Exception {
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(this.dir.resolve("target.duckdb"))) {
            AtomicTableBuildTasklet tasklet = AtomicTableBuildTasklet.builder()
                .database(database)
                .table("merged")
                .select("SELECT i FROM range(300) t(i)")
                .rowsCountedByEarlierSteps()
                .build();
            assertThat(run(tasklet)).isZero();
            try (Connection connection = database.getConnection()) {
                assertThat(scalar(connection, "SELECT count(*) FROM merged")).isEqualTo(300);
            }
        }
    }

    @Test
    void readersSeeTheOldTableOrTheNewOneAndAFailedBuildKeepsTheOld() throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(target, "CREATE TABLE t AS SELECT 1 AS version FROM range(10)");
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(target);
                Connection reader = database.getConnection()) {
            try (Statement statement = reader.createStatement()) {
                statement.execute("BEGIN TRANSACTION");
            }
            assertThat(scalar(reader, "SELECT max(version) FROM t")).isEqualTo(1);

            run(AtomicTableBuildTasklet.builder().database(database).table("t").select("SELECT 2 AS version FROM range(20)").build());

            // The reader's transaction began before the swap: it still sees the whole old table.
            assertThat(scalar(reader, "SELECT count(*) FROM t WHERE version = 1")).isEqualTo(10);
            try (Statement statement = reader.createStatement()) {
                statement.execute("COMMIT");
            }
            assertThat(scalar(reader, "SELECT count(*) FROM t WHERE version = 2")).isEqualTo(20);

            AtomicTableBuildTasklet failing = AtomicTableBuildTasklet.builder()
                .database(database)
                .table("t")
                .select("SELECT CASE WHEN i < 5 THEN 3 ELSE error('row ' || i || ' is bad') END AS version FROM range(10) r(i)")
                .build();
            assertThatThrownBy(() -> run(failing)).hasMessageContaining("Building table 't' in " + target + " failed")
                .hasMessageContaining("row 5 is bad");
            assertThat(scalar(reader, "SELECT count(*) FROM t WHERE version = 2")).isEqualTo(20);
            assertThat(scalar(reader, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 't__building'")).isZero();
        }
    }

    @Test
    void aMissingSourceIsNamed() throws Exception {
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(this.dir.resolve("target.duckdb"))) {
            AtomicTableBuildTasklet tasklet = AtomicTableBuildTasklet.builder()
                .database(database)
                .attach("src", DuckDbDataSource.readOnly(this.dir.resolve("nope.duckdb")))
                .table("t")
                .select("SELECT * FROM src.x")
                .build();
            assertThatThrownBy(() -> run(tasklet))
                .hasMessage("Source database " + this.dir.resolve("nope.duckdb") + " does not exist (attached as src)");
        }
    }

    /** The columns the SELECT reads are checked first: a missing one is named, not DuckDB's Binder Error, and nothing is built. */
    @Test
    void missingSourceColumnsOrTablesAreNamedBeforeAnythingIsBuilt() throws Exception {
        Path source = this.dir.resolve("source.duckdb");
        DuckDbFiles.execute(source, "CREATE TABLE companies (company_number VARCHAR, name VARCHAR)");
        Path target = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(target, "CREATE TABLE copy AS SELECT 'old' AS company_number, 'Old Ltd' AS name, NULL AS phone");
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(target)) {
            AtomicTableBuildTasklet.Builder copy = AtomicTableBuildTasklet.builder()
                .database(database)
                .attach("src", DuckDbDataSource.readOnly(source))
                .table("copy")
                .select("SELECT company_number, name, phone FROM src.companies");
            assertThatThrownBy(() -> run(copy.requireColumns("src", "companies", "company_number", "name", "phone").build()))
                .isInstanceOf(InvalidDataAccessResourceUsageException.class)
                .hasMessage("Column [phone] not found in table 'src.companies' of " + source + " (it has [company_number, name])");
            assertThatThrownBy(() -> run(AtomicTableBuildTasklet.builder()
                .database(database)
                .attach("src", DuckDbDataSource.readOnly(source))
                .table("copy")
                .requireColumns("src", "firms", "id")
                .select("SELECT id FROM src.firms")
                .build())).hasMessage("Table 'src.firms' not found in " + source);
            try (Connection connection = database.getConnection()) {
                assertThat(scalar(connection, "SELECT count(*) FROM copy WHERE company_number = 'old'")).isEqualTo(1);
                assertThat(scalar(connection, "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%__building'")).isZero();
                assertThat(scalar(connection, "SELECT count(*) FROM duckdb_databases() WHERE database_name = 'src'")).isZero();
            }
        }
    }

    @Test
    void builderSaysWhatToFix() {
        DuckDbDataSource database = DuckDbDataSource.readWrite(this.dir.resolve("x.duckdb"));
        assertThatThrownBy(() -> AtomicTableBuildTasklet.builder().table("t").select("SELECT 1").build())
            .hasMessageContaining("needs database");
        assertThatThrownBy(() -> AtomicTableBuildTasklet.builder().database(database).table("t").build())
            .hasMessageContaining("needs select");
        assertThatThrownBy(() -> AtomicTableBuildTasklet.builder().database(database).table("t; drop").select("SELECT 1").build())
            .hasMessageContaining("table 't; drop' is not a plain SQL name");
        assertThatThrownBy(() -> AtomicTableBuildTasklet.builder().database(database).table("t").attach("a b", DuckDbDataSource.readOnly(this.dir))
            .select("SELECT 1").build()).hasMessageContaining("alias 'a b'");
    }

}
