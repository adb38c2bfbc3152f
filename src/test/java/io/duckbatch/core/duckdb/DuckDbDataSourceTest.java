package io.duckbatch.core.duckdb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DuckDbDataSource is where every DuckDB file duckbatch writes is created. DuckDB 2.0 would
 * write format 69, which no 1.x client opens, so a new file takes the storage version asked
 * for; a file that exists must keep its own, in either direction, so that opening a user's
 * file never changes which clients can read it. The version is read back as DuckDB reports
 * it ({@code duckdb_databases().tags}); that an older client really opens the files is
 * {@code OlderDuckDbClientsTest}'s part.
 */
class DuckDbDataSourceTest {

    @TempDir
    Path dir;

    @Test
    void aNewFileIsWrittenInTheStorageVersionAskedFor() throws Exception {
        for (StorageVersion version : StorageVersion.values()) {
            Path file = this.dir.resolve(version.duckdbName() + ".duckdb");
            writeOneRow(DuckDbDataSource.readWrite(file, version));
            String expected = (version == StorageVersion.LATEST) ? "v2.0.0+" : version.duckdbName() + "+";
            assertThat(storageVersionOf(file)).as(version.duckdbName()).isEqualTo(expected);
        }
    }

    @Test
    void aNewFileTakesTheDefaultStorageVersionV100() throws Exception {
        Path file = this.dir.resolve("default.duckdb");
        writeOneRow(DuckDbDataSource.readWrite(file));
        assertThat(storageVersionOf(file)).isEqualTo("v1.0.0+");
    }

    @Test
    void anExistingFileKeepsItsStorageVersion() throws Exception {
        Path newer = this.dir.resolve("newer.duckdb");
        writeOneRow(DuckDbDataSource.readWrite(newer, StorageVersion.V2_0_0));
        writeOneRow(DuckDbDataSource.readWrite(newer, StorageVersion.V1_0_0));
        assertThat(storageVersionOf(newer)).isEqualTo("v2.0.0+");

        Path older = this.dir.resolve("older.duckdb");
        writeOneRow(DuckDbDataSource.readWrite(older, StorageVersion.V1_0_0));
        writeOneRow(DuckDbDataSource.readWrite(older, StorageVersion.LATEST));
        assertThat(storageVersionOf(older)).isEqualTo("v1.0.0+");
        try (DuckDbDataSource database = DuckDbDataSource.readOnly(older); Connection connection = database.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(2);
        }
    }

    @Test
    void namesAreDuckDbsAndOthersAreRefused() {
        assertThat(StorageVersion.names()).containsExactly("v1.0.0", "v1.2.0", "v1.3.0", "v1.4.0", "v1.5.0", "v2.0.0", "latest");
        assertThat(StorageVersion.named(" V1.4.0 ")).contains(StorageVersion.V1_4_0);
        assertThat(StorageVersion.named("v1.1.0")).isEmpty();
        assertThat(StorageVersion.named("1.0.0")).isEmpty();
        assertThat(StorageVersion.named(null)).isEmpty();
    }

    /** Opens (creating when missing), appends a row to {@code t}, closes: a checkpoint writes the file. */
    private static void writeOneRow(DuckDbDataSource database) throws SQLException {
        try (database; Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS t (i INTEGER, names VARCHAR[], address STRUCT(town VARCHAR), d DATE)");
            statement.execute("INSERT INTO t VALUES (1, ['a', 'b'], {'town': 'Leeds'}, DATE '2001-02-03')");
        }
    }

    private static String storageVersionOf(Path file) throws SQLException {
        try (DuckDbDataSource database = DuckDbDataSource.readOnly(file); Connection connection = database.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT tags['storage_version'] FROM duckdb_databases()"
                        + " WHERE database_name = current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

}
