package io.duckbatch.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import io.duckbatch.jobs.scoring.CompanyScoringJobConfiguration;
import io.duckbatch.jobs.scoring.ScoringSql;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.ExpectedScores;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bench's sql mode scores only candidate pairs (keyword hits, SIC prefixes, everything when
 * a zero score passes): it must still write what the scorer writes, at every threshold.
 */
class ScoringSqlTest {

    @TempDir
    Path dir;

    /**
     * Random names of mixed case, accents, other scripts, chars Java and DuckDB lower-case
     * alike but not plainly ('İ', the Kelvin sign), separators and repeats; keywords repeated
     * in other cases (the last configured one is reported), an empty keyword (no token is
     * empty); NULL names, SIC lists and elements.
     */
    @Test
    void writesWhatTheScorerWritesOnAwkwardCompanies() throws Exception {
        Path source = this.dir.resolve("source.duckdb");
        DuckDbFiles.execute(source,
                "CREATE TABLE rtic_codes (rtic_code VARCHAR, label VARCHAR, keywords VARCHAR[], sic_prefixes VARCHAR[])",
                "INSERT INTO rtic_codes VALUES ('R1', 'Software', ['Data', 'software', 'DATA', 'Cloud'], ['620', '631']),"
                        + " ('R2', 'Cafés', ['Café', 'STRAßE', 'σοφια', 'iron', 'kilo'], ['56', '5610']),"
                        + " ('R3', 'Digits', ['4G', '5g', 'data', ''], ['61', '']),"
                        + " ('R4', 'None', [], [])",
                "CREATE TABLE companies (company_number VARCHAR, name VARCHAR, sic_codes VARCHAR[])");
        String[] pieces = { "Data", "DATA", "data", "software", "SOFTWARE", "Cloud", "café", "CAFÉ", "cafe", "Straße",
                "STRAßE", "ΣΟΦΙΑ", "σοφια", "İRON", "\u212AILO", "4G", "4g5G", "5G", "Ltd", " ", "-", "_", "&", ", ", "😀", "" };
        String[][] sicCodes = { null, {}, { null }, { "62012" }, { "63110", null }, { "56101", "62020" }, { "61900" },
                { "99999" }, { "6" } };
        Random random = new Random(11);
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + source);
                DuckDBAppender appender = connection.unwrap(DuckDBConnection.class)
                    .createAppender(DuckDBConnection.DEFAULT_SCHEMA, "companies")) {
            for (int i = 0; i < 2_000; i++) {
                appender.beginRow();
                appender.append(String.format(Locale.ROOT, "%05d", i));
                String name = name(random, pieces);
                String[] sic = sicCodes[random.nextInt(sicCodes.length)];
                if (name == null) {
                    appender.appendNull();
                }
                else {
                    appender.append(name);
                }
                if (sic == null) {
                    appender.appendNull();
                }
                else {
                    appender.append(Arrays.asList(sic));
                }
                appender.endRow();
            }
        }
        for (double threshold : new double[] { 0.5, 0.3, 0.0 }) {
            List<List<Object>> expected = ExpectedScores.compute(source, threshold);
            assertThat(scores(source, threshold)).as("threshold " + threshold).isEqualTo(expected);
        }
    }

    /** The scorer cannot load these codes; SQL reads a NULL list or element as nothing to match. */
    @Test
    void nullKeywordsAndPrefixesMatchNothing() throws Exception {
        Path source = this.dir.resolve("source.duckdb");
        DuckDbFiles.execute(source,
                "CREATE TABLE rtic_codes (rtic_code VARCHAR, label VARCHAR, keywords VARCHAR[], sic_prefixes VARCHAR[])",
                "INSERT INTO rtic_codes VALUES ('R1', 'no keywords', NULL, ['41']), ('R2', 'no prefixes', ['solar'], NULL),"
                        + " ('R3', 'NULL elements', [NULL, 'Green', NULL], [NULL, '35'])",
                "CREATE TABLE companies (company_number VARCHAR, name VARCHAR, sic_codes VARCHAR[])",
                "INSERT INTO companies VALUES ('1', 'Solar Green Ltd', ['41100', '35110']), ('2', 'green', NULL),"
                        + " ('3', NULL, ['41', '3']), ('4', 'Builders', ['99'])");
        assertThat(scores(source, 0.3)).containsExactly(List.of("R1", "1", 0.4, "[]"), List.of("R1", "3", 0.4, "[]"),
                List.of("R2", "1", 0.3, "[solar]"), List.of("R3", "1", 0.7, "[Green]"), List.of("R3", "2", 0.3, "[Green]"));
    }

    private static String name(Random random, String[] pieces) {
        if (random.nextInt(50) == 0) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        for (int p = random.nextInt(5); p >= 0; p--) {
            name.append(pieces[random.nextInt(pieces.length)]);
        }
        return name.toString();
    }

    /** The statement's rows, bound as bench binds it, in {@link ExpectedScores}' form. */
    private List<List<Object>> scores(Path source, double threshold) throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(target, "DROP TABLE IF EXISTS " + CompanyScoringJobConfiguration.TARGET_TABLE,
                CompanyScoringJobConfiguration.TARGET_DDL);
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + target);
                Statement statement = connection.createStatement()) {
            statement.execute("ATTACH '" + source + "' AS source (READ_ONLY)");
            try (PreparedStatement insert = connection.prepareStatement(ScoringSql.insert("source"))) {
                insert.setDouble(1, threshold);
                insert.executeUpdate();
            }
        }
        return new ArrayList<>(DuckDbFiles.rows(target, ExpectedScores.ACTUAL_SQL));
    }

}
