package io.duckbatch.jobs.scoring;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.dao.InvalidDataAccessResourceUsageException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scoring tasks read from {@code rtic_codes} of a real DuckDB file, and what is refused. */
class RticCodesTest {

    private static final String TABLE = "CREATE TABLE rtic_codes (rtic_code VARCHAR, label VARCHAR, keywords VARCHAR[],"
            + " sic_prefixes VARCHAR[])";

    @TempDir
    Path dir;

    private DuckDbDataSource source(String... statements) throws Exception {
        Path file = this.dir.resolve("codes.duckdb");
        DuckDbFiles.execute(file, statements);
        return DuckDbDataSource.readOnly(file);
    }

    @Test
    void everyCodeInCodeOrderWithoutNullElements() throws Exception {
        try (DuckDbDataSource source = source(TABLE, "INSERT INTO rtic_codes VALUES ('R2', 'Food', ['bakery', NULL], NULL),"
                + " ('R1', 'Software', ['Software', 'data'], ['62', '631']), ('R3', 'None', [], [])");
                Connection connection = source.getConnection()) {
            assertThatNoException().isThrownBy(() -> RticCodes.verify(connection, source.toString()));
            assertThat(RticCodes.all(source)).containsExactly(
                    new RticCode("R1", "Software", List.of("Software", "data"), List.of("62", "631")),
                    new RticCode("R2", "Food", List.of("bakery"), List.of()), new RticCode("R3", "None", List.of(), List.of()));
            assertThat(RticCodes.find(source, "R2").label()).isEqualTo("Food");
            assertThatThrownBy(() -> RticCodes.find(source, "R9"))
                .hasMessage("RTIC code 'R9' not found in table rtic_codes of " + source);
        }
    }

    @Test
    void nullAndRepeatedCodesAreCountedAndRefused() throws Exception {
        try (DuckDbDataSource source = source(TABLE, "INSERT INTO rtic_codes VALUES ('R1', 'A', ['a'], []), ('R1', 'B', ['b'], []),"
                + " ('R1', 'C', ['c'], []), ('R2', 'D', ['d'], []), (NULL, 'E', ['e'], []), (NULL, 'F', ['f'], [])");
                Connection connection = source.getConnection()) {
            assertThatThrownBy(() -> RticCodes.verify(connection, source.toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Table rtic_codes of " + source + " has 2 NULL and 2 repeated rtic_code value(s): give every code one row");
        }
    }

    @Test
    void aMissingTableOrColumnIsNamed() throws Exception {
        try (DuckDbDataSource source = source("CREATE TABLE rtic_codes (rtic_code VARCHAR, label VARCHAR, keywords VARCHAR[])");
                Connection connection = source.getConnection()) {
            assertThatThrownBy(() -> RticCodes.verify(connection, source.toString()))
                .isInstanceOf(InvalidDataAccessResourceUsageException.class)
                .hasMessage("Column [sic_prefixes] not found in table 'rtic_codes' of " + source
                        + " (it has [rtic_code, label, keywords])");
        }
        try (DuckDbDataSource empty = DuckDbDataSource.readOnly(this.dir.resolve("empty.duckdb"))) {
            DuckDbFiles.execute(this.dir.resolve("empty.duckdb"), "CREATE TABLE companies (company_number VARCHAR)");
            try (Connection connection = empty.getConnection()) {
                assertThatThrownBy(() -> RticCodes.verify(connection, empty.toString()))
                    .hasMessage("Table 'rtic_codes' not found in " + empty);
            }
        }
    }

}
