package io.duckbatch.core.duckdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;

import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link DuckDbDataSource}'s doc promises, on real files: a source must exist and is
 * never written; a target is created with its folders; every connection handed out is a
 * duplicate of one open database (one engine, shared by threads), closing one closes only it.
 */
class DuckDbDataSourceContractTest {

    @TempDir
    Path dir;

    private static String scalar(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void aSourceMustBeAnExistingFileAndIsNeverCreated() {
        Path missing = this.dir.resolve("nowhere/source.duckdb");
        assertThatThrownBy(() -> DuckDbDataSource.readOnly(missing).getConnection())
            .isInstanceOf(SQLException.class)
            .hasMessage("DuckDB database " + missing + " does not exist");
        assertThat(this.dir.resolve("nowhere")).doesNotExist();
        assertThatThrownBy(() -> DuckDbDataSource.readOnly(this.dir).getConnection())
            .hasMessage("DuckDB database " + this.dir + " is a folder, not a DuckDB file");
    }

    @Test
    void aSourceRefusesWritesAndItsFileStaysAsItWas() throws Exception {
        Path file = this.dir.resolve("source.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE t AS SELECT 1 AS i");
        byte[] before = Files.readAllBytes(file);
        try (DuckDbDataSource source = DuckDbDataSource.readOnly(file); Connection connection = source.getConnection()) {
            assertThat(scalar(connection, "SELECT count(*) FROM t")).isEqualTo("1");
            assertThatThrownBy(() -> execute(connection, "INSERT INTO t VALUES (2)")).hasMessageContaining("read-only");
            assertThatThrownBy(() -> execute(connection, "CREATE TABLE u (i INTEGER)")).hasMessageContaining("read-only");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aTargetIsCreatedWithItsFoldersOrTheBlockingFileIsNamed() throws Exception {
        Path target = this.dir.resolve("a/b/target.duckdb");
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(target); Connection connection = database.getConnection()) {
            execute(connection, "CREATE TABLE t AS SELECT 1 AS i");
            assertThat(database.path()).isEqualTo(target);
            assertThat(database).hasToString(target.toString());
        }
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM t")).isEqualTo(1);

        Path blocker = Files.writeString(this.dir.resolve("blocker"), "a file where a folder should be");
        Path blocked = blocker.resolve("target.duckdb");
        assertThatThrownBy(() -> DuckDbDataSource.readWrite(blocked).getConnection())
            .isInstanceOf(SQLException.class)
            .hasMessage("Cannot create folder " + blocker + " for DuckDB database " + blocked + ": " + blocker
                    + " is a file, not a folder");
        // Deeper under the file, Java's own words were "java.nio.file.FileSystemException: .../a: Not a directory".
        Path deeper = blocker.resolve("a/target.duckdb");
        assertThatThrownBy(() -> DuckDbDataSource.readWrite(deeper).getConnection())
            .hasMessage("Cannot create folder " + deeper.getParent() + " for DuckDB database " + deeper + ": " + blocker
                    + " is a file, not a folder");
        assertThat(blocker).hasContent("a file where a folder should be");
    }

    @Test
    void everyConnectionIsADuplicateOfOneOpenDatabase() throws Exception {
        Path file = this.dir.resolve("shared.duckdb");
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(this.dir.resolve("./shared.duckdb"))) {
            Connection first = database.getConnection();
            // A database-wide setting made on one connection is seen by the others: one engine.
            execute(first, "SET GLOBAL memory_limit = '123MB'");
            execute(first, "CREATE TABLE t AS SELECT 1 AS i");
            // Another thread's connection is of the same database.
            String fromAnotherThread = CompletableFuture.supplyAsync(() -> {
                try (Connection other = database.getConnection()) {
                    return scalar(other, "SELECT current_setting('memory_limit')") + " / " + scalar(other, "SELECT count(*) FROM t");
                }
                catch (SQLException ex) {
                    throw new IllegalStateException(ex);
                }
            }).get();
            assertThat(fromAnotherThread).isEqualTo(scalar(first, "SELECT current_setting('memory_limit')") + " / 1");
            // Closing a connection handed out closes only it.
            first.close();
            try (Connection second = database.getConnection()) {
                execute(second, "INSERT INTO t VALUES (2)");
                assertThat(scalar(second, "SELECT count(*) FROM t")).isEqualTo("2");
            }
            assertThat(database.path()).isEqualTo(file);

            // close() closes the database: the file is free for another database instance,
            // and a later getConnection() opens it again.
            database.close();
            DuckDbFiles.execute(file, "INSERT INTO t VALUES (3)");
            try (Connection reopened = database.getConnection()) {
                assertThat(scalar(reopened, "SELECT count(*) FROM t")).isEqualTo("3");
            }
        }
    }

}
