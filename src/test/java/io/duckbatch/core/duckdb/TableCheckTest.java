package io.duckbatch.core.duckdb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.dao.InvalidDataAccessResourceUsageException;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link TableCheck} on a real DuckDB file, and on another one attached to it read-only. */
class TableCheckTest {

    @TempDir
    static Path dir;

    static Path file;

    static Path attached;

    static DuckDbDataSource database;

    @BeforeAll
    static void createFiles() throws Exception {
        file = dir.resolve("main.duckdb");
        attached = dir.resolve("other.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE companies (company_number VARCHAR, \"Name\" VARCHAR, sic_codes VARCHAR[])");
        DuckDbFiles.execute(attached, "CREATE TABLE firms (id INTEGER)");
        database = DuckDbDataSource.readOnly(file);
    }

    @AfterAll
    static void close() throws Exception {
        database.close();
    }

    @Test
    void presentColumnsPassWhateverTheirCase() throws Exception {
        try (Connection connection = database.getConnection()) {
            assertThatNoException().isThrownBy(() -> TableCheck.requireColumns(connection, "main", "companies",
                    List.of("COMPANY_NUMBER", "name", "sic_codes")));
            assertThatNoException().isThrownBy(() -> TableCheck.requireColumns(connection, "main", "companies", List.of()));
        }
    }

    @Test
    void missingColumnsAreNamedWithTheColumnsThereAre() throws Exception {
        try (Connection connection = database.getConnection()) {
            assertThatThrownBy(() -> TableCheck.requireColumns(connection, file.toString(), "companies", List.of("name", "phone")))
                .isInstanceOf(InvalidDataAccessResourceUsageException.class)
                .hasMessage("Column [phone] not found in table 'companies' of " + file + " (it has [company_number, name, sic_codes])");
            assertThatThrownBy(() -> TableCheck.requireColumns(connection, file.toString(), "companies",
                    List.of("phone", "address", "name")))
                .hasMessage("Columns [phone, address] not found in table 'companies' of " + file
                        + " (it has [company_number, name, sic_codes])");
        }
    }

    @Test
    void aMissingTableIsNamedWithoutDuckDbsGuesses() throws Exception {
        try (Connection connection = database.getConnection()) {
            assertThatThrownBy(() -> TableCheck.requireColumns(connection, file.toString(), "companys", List.of("name")))
                .isInstanceOf(InvalidDataAccessResourceUsageException.class)
                .hasMessage("Table 'companys' not found in " + file);
        }
    }

    @Test
    void tablesOfAnAttachedDatabaseAreCheckedByTheirQualifiedName() throws Exception {
        try (DuckDbDataSource target = DuckDbDataSource.readWrite(dir.resolve("target.duckdb"));
                Connection connection = target.getConnection()) {
            ReadOnlyAttachment.attach(connection, "source", attached);
            try {
                assertThatNoException().isThrownBy(
                        () -> TableCheck.requireColumns(connection, attached.toString(), "source.firms", List.of("id")));
                assertThatThrownBy(() -> TableCheck.requireColumns(connection, attached.toString(), "source.companies", List.of("id")))
                    .hasMessage("Table 'source.companies' not found in " + attached);
                assertThatThrownBy(() -> TableCheck.requireColumns(connection, attached.toString(), "source.firms", List.of("phone")))
                    .hasMessage("Column [phone] not found in table 'source.firms' of " + attached + " (it has [id])");
            }
            finally {
                ReadOnlyAttachment.detach(connection, "source");
            }
        }
    }

    /** Only a missing table is reworded: any other failure of the probe is DuckDB's own. */
    @Test
    void otherErrorsAreLeftAsDuckDbSaidThem() throws Exception {
        try (Connection connection = database.getConnection()) {
            assertThatThrownBy(() -> TableCheck.requireColumns(connection, "main", "companies WHERE", List.of("x")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Parser Error");
        }
    }

}
