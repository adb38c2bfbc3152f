package io.duckbatch.core.keyset;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.support.DuckDbFiles;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link KeysetQuery} refuses before a keyset read starts, on one real DuckDB file: a
 * missing table or column, NULL keys (paging would skip them) and repeated keys (a task's
 * output would hold them twice), counted among the rows needing work only.
 */
class KeysetQueryChecksTest {

    @TempDir
    static Path dir;

    static Path file;

    static DuckDbDataSource source;

    @BeforeAll
    static void createSource() throws Exception {
        file = dir.resolve("checks.duckdb");
        DuckDbFiles.execute(file,
                "CREATE TABLE clean (id VARCHAR, name VARCHAR, status VARCHAR)",
                "INSERT INTO clean VALUES ('a', 'A', 'active'), ('b', 'B', 'dissolved'), ('c', 'C', 'active')",
                // Two NULL keys among the active rows, one among the dissolved.
                "CREATE TABLE null_keys (id VARCHAR, name VARCHAR, status VARCHAR)",
                "INSERT INTO null_keys VALUES ('a', 'A', 'active'), (NULL, 'B', 'active'), (NULL, 'C', 'active'),"
                        + " (NULL, 'D', 'dissolved')",
                // 'a' three times and 'b' twice among the active rows: 3 rows beyond the first of a key;
                // 'c' twice only counting a dissolved row; NULL keys are not duplicates.
                "CREATE TABLE repeated (id VARCHAR, name VARCHAR, status VARCHAR)",
                "INSERT INTO repeated VALUES ('a', '1', 'active'), ('a', '2', 'active'), ('a', '3', 'active'),"
                        + " ('b', '4', 'active'), ('b', '5', 'active'), ('c', '6', 'active'), ('c', '7', 'dissolved'),"
                        + " (NULL, '8', 'active'), (NULL, '9', 'active')",
                "CREATE TABLE declared (id VARCHAR PRIMARY KEY, name VARCHAR)",
                "INSERT INTO declared VALUES ('a', 'A'), ('b', 'B')");
        source = DuckDbDataSource.readOnly(file);
    }

    @AfterAll
    static void close() throws Exception {
        source.close();
    }

    private static KeysetQuery query(String table, String... columns) {
        return new KeysetQuery(table, "id", List.of(columns), null, List.of());
    }

    private static KeysetQuery activeRowsOf(String table) {
        return new KeysetQuery(table, "id", List.of("name"), "status = ?", List.of("active"));
    }

    @Test
    void aMissingTableOrColumnIsNamedWithTheFile() throws Exception {
        try (Connection connection = source.getConnection()) {
            assertThatThrownBy(() -> query("nosuch", "name").verify(connection, file.toString()))
                .isInstanceOf(InvalidDataAccessResourceUsageException.class)
                .hasMessage("Table 'nosuch' not found in " + file);
            assertThatThrownBy(() -> query("clean", "name", "turnover", "sic_codes").verify(connection, file.toString()))
                .isInstanceOf(InvalidDataAccessResourceUsageException.class)
                .hasMessage("Columns [turnover, sic_codes] not found in table 'clean' of " + file + " (it has [id, name, status])");
            assertThatNoException().isThrownBy(() -> query("clean", "name", "status").verify(connection, file.toString()));
        }
    }

    @Test
    void nullKeysAreCountedAmongTheRowsNeedingWork() throws Exception {
        try (Connection connection = source.getConnection()) {
            assertThatThrownBy(() -> query("null_keys", "name").verify(connection, file.toString()))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessage("Table 'null_keys' of " + file + " has 3 row(s) with NULL key column 'id'; keyset paging cannot"
                        + " read them: give every row a key, or remove those rows");
            assertThatThrownBy(() -> activeRowsOf("null_keys").verify(connection, file.toString()))
                .hasMessageContaining(" has 2 row(s) with NULL key column 'id';");
            assertThatNoException().isThrownBy(() -> activeRowsOf("clean").verify(connection, file.toString()));
        }
    }

    @Test
    void repeatedKeysAreCountedBeyondTheFirstRowOfEachKey() throws Exception {
        try (Connection connection = source.getConnection()) {
            assertThatThrownBy(() -> query("repeated", "name").requireUniqueKeys(connection, file.toString()))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessage("Table 'repeated' of " + file + " has 4 duplicate value(s) in key column 'id' (rows beyond the"
                        + " first of a key); each key must be on one row: remove the duplicates");
            assertThatThrownBy(() -> activeRowsOf("repeated").requireUniqueKeys(connection, file.toString()))
                .hasMessageContaining(" has 3 duplicate value(s) in key column 'id'");
            assertThatNoException().isThrownBy(() -> query("clean", "name").requireUniqueKeys(connection, file.toString()));
            // A declared PRIMARY KEY is DuckDB's to enforce.
            assertThatNoException().isThrownBy(() -> query("declared", "name").requireUniqueKeys(connection, file.toString()));
        }
    }

}
