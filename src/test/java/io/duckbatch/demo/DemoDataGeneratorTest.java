package io.duckbatch.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoDataGeneratorTest {

    @TempDir
    Path dir;

    private static final String FINGERPRINT = "SELECT count(*), md5(string_agg(CAST(c AS VARCHAR), '|' ORDER BY company_number)) FROM companies c";

    @Test
    void generatesDeterministicRealisticData() throws Exception {
        Path first = this.dir.resolve("a/source.duckdb");
        Path second = this.dir.resolve("b/source.duckdb");
        DemoDataGenerator generator = new DemoDataGenerator();
        generator.generate(first, 5_000);
        generator.generate(second, 5_000);

        assertThat(DuckDbFiles.rows(first, FINGERPRINT)).isEqualTo(DuckDbFiles.rows(second, FINGERPRINT));
        assertThat(DuckDbFiles.count(first, "SELECT count(*) FROM companies")).isEqualTo(5_000);
        // UK-style numbers: 8 digits, or a two-letter prefix and 6 digits.
        assertThat(DuckDbFiles.count(first,
                "SELECT count(*) FROM companies WHERE NOT regexp_full_match(company_number, '[0-9]{8}|(SC|NI|OC)[0-9]{6}')"))
            .isZero();
        assertThat(DuckDbFiles.column(first, "SELECT DISTINCT left(company_number, 2) FROM companies WHERE company_number < '1' OR company_number > 'A' ORDER BY 1"))
            .contains("NI", "OC", "SC");
        assertThat(DuckDbFiles.count(first, "SELECT count(*) FROM companies WHERE phone IS NULL")).isPositive();
        assertThat(DuckDbFiles.count(first, "SELECT count(*) FROM companies WHERE address IS NULL")).isPositive();
        assertThat(DuckDbFiles.count(first, "SELECT count(*) FROM companies WHERE address.postcode IS NOT NULL")).isPositive();
        assertThat(DuckDbFiles.count(first, "SELECT count(*) FROM rtic_codes")).isBetween(15L, 25L);
        // The postcode lookup is as large as the companies and knows every company's postcode.
        assertThat(DuckDbFiles.count(first, "SELECT count(DISTINCT postcode) FROM postcode_regions")).isEqualTo(5_000);
        assertThat(DuckDbFiles.count(first, "SELECT count(*) FROM companies c WHERE address IS NOT NULL AND NOT EXISTS"
                + " (SELECT 1 FROM postcode_regions p WHERE p.postcode = upper(trim(c.address.postcode)))")).isZero();
        assertThat(DuckDbFiles.column(first, "SELECT typeof(sic_codes) FROM companies LIMIT 1")).containsExactly("VARCHAR[]");
        // Stored in key order, so keyset pages touch few row groups.
        List<Object> stored = DuckDbFiles.column(first, "SELECT company_number FROM companies");
        assertThat(stored).isEqualTo(DuckDbFiles.column(first, "SELECT company_number FROM companies ORDER BY company_number"));
        assertThat(Files.list(this.dir.resolve("a"))).extracting(p -> p.getFileName().toString()).containsExactly("source.duckdb");
    }

    @Test
    void rejectsRowCountsItCannotNumber() {
        assertThatThrownBy(() -> new DemoDataGenerator().generate(this.dir.resolve("x.duckdb"), 0))
            .hasMessageContaining("duckbatch.demo.rows must be between 1 and 20000000");
        assertThat(this.dir.resolve("x.duckdb")).doesNotExist();
    }

    /** Moving a written file into place must never replace what is not a file (a folder here; /dev/null for a user). */
    @Test
    void aCompaniesHouseFileIsNeverMovedOverSomethingThatIsNotAFile() throws Exception {
        Path folder = Files.createDirectories(this.dir.resolve("not-a-file.csv"));
        assertThatThrownBy(() -> new DemoDataGenerator().writeCompaniesHouseFile(folder, 10))
            .hasMessageContaining("it exists and is not a regular file");
        assertThatThrownBy(() -> new DemoDataGenerator().writeCodesFile(folder))
            .hasMessageContaining("it exists and is not a regular file");
        assertThat(folder).isDirectory();
        assertThat(Files.list(this.dir).map(path -> path.getFileName().toString())).containsExactly("not-a-file.csv");
    }

}
