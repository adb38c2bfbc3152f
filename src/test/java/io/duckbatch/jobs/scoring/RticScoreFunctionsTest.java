package io.duckbatch.jobs.scoring;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.duckbatch.support.ExpectedScores;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The udf mode's pieces against the plain-loop oracle: DuckDB's prefilter and the scoring function. */
class RticScoreFunctionsTest {

    private static final List<String> KEYWORDS = List.of("software", "Data", "iron", "kilo", "café", "ΔΕΛΤΑ", "½",
            "\uD801\uDC28x", "e-commerce");

    @TempDir
    Path dir;

    /**
     * DuckDB's filter before the Java function keeps every name the scorer finds a keyword
     * in, on random names with the chars where lower-casing is not plain: 'İ' and the Kelvin
     * sign lower-case to 'i' and 'k' in Java, a Deseret capital is compared as it is.
     */
    @Test
    void candidatesKeepEveryNameWithAKeywordAndDropOthers() throws Exception {
        RticScorer scorer = new RticScorer(new RticCode("R", "R", KEYWORDS, List.of("62")), 0.5);
        // Split over two codes: the filter takes every code's keywords.
        CompanyScorer allCodes = new CompanyScorer(List.of(new RticCode("R1", "R", KEYWORDS.subList(0, 4), List.of("62")),
                new RticCode("R2", "R", KEYWORDS.subList(4, KEYWORDS.size()), List.of("63"))), 0.5);
        String[] pieces = { "software", "SOFTWARE", "Data", "dAtA", "İRON", "iron", "\u212AILO", "KILO", "café", "CAFÉ",
                "δέλτα", "δελτα", "½", "\uD801\uDC00X", "\uD801\uDC28X", "e-commerce", "soft", "ware", "Ltd", " ", "-", "😀",
                "" };
        Random random = new Random(7);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            names.add(randomName(random, pieces, 4));
        }

        Set<Integer> candidates = new HashSet<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + this.dir.resolve("names.duckdb"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE names (id INTEGER, name VARCHAR)");
            try (DuckDBAppender appender = connection.unwrap(DuckDBConnection.class)
                .createAppender(DuckDBConnection.DEFAULT_SCHEMA, "names")) {
                for (int id = 0; id < names.size(); id++) {
                    appender.beginRow();
                    appender.append(id);
                    appender.append(names.get(id));
                    appender.endRow();
                }
            }
            try (ResultSet rs = statement
                .executeQuery("SELECT id FROM names WHERE " + RticScoreFunctions.candidates(allCodes, "name"))) {
                while (rs.next()) {
                    candidates.add(rs.getInt(1));
                }
            }
        }
        // The filter's promise: every name the scorer finds a keyword in is kept.
        int matched = 0;
        for (int id = 0; id < names.size(); id++) {
            if (!scorer.matchKeywords(names.get(id)).isEmpty()) {
                matched++;
                assertThat(candidates).as(names.get(id)).contains(id);
            }
        }
        assertThat(matched).isGreaterThan(1_000);
        // What it keeps, exactly: the names containing a keyword once each char is lower-cased
        // as Java lower-cases a char (surrogates as they are), found by a plain loop.
        Set<Integer> expected = new HashSet<>();
        for (int id = 0; id < names.size(); id++) {
            String lowerChars = lowerCaseEachChar(names.get(id));
            if (allCodes.lowerCaseKeywords().stream().anyMatch(k -> !k.isEmpty() && lowerChars.contains(k))) {
                expected.add(id);
            }
        }
        assertThat(candidates).isEqualTo(expected);
        assertThat(candidates.size()).as("names dropped before the function").isLessThan(names.size() - 1_000);
        assertThat(scorer.matchKeywords("İRON \u212AILO")).containsExactly("iron", "kilo");
    }

    /** One to {@code most} pieces, picked at random. */
    private static String randomName(Random random, String[] pieces, int most) {
        StringBuilder name = new StringBuilder();
        for (int p = random.nextInt(most); p >= 0; p--) {
            name.append(pieces[random.nextInt(pieces.length)]);
        }
        return name.toString();
    }

    private static String lowerCaseEachChar(String name) {
        StringBuilder lower = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            lower.append(Character.isSurrogate(c) ? c : Character.toLowerCase(c));
        }
        return lower.toString();
    }

    /**
     * The function DuckDB calls (udf mode) and {@link RticScoreFunctions#rows} give, for
     * every company and code, the row the plain loop of {@link RticScorer} gives: random names
     * of awkward pieces, SIC code lists with NULLs, spaces, backslashes, empty and NULL lists,
     * at a threshold where a SIC prefix alone passes and one where it does not.
     */
    @Test
    void theFunctionScoresEveryCompanyAsThePlainLoopDoes() throws Exception {
        List<RticCode> codes = List.of(new RticCode("R1", "Software", List.of("software", "Data", "AI"), List.of("62", "631")),
                new RticCode("R2", "Food", List.of("bakery", "café", "Data"), List.of("107", "1 0")),
                new RticCode("R3's", "Other (a quote in the code)", List.of("ΔΕΛΤΑ", "kilo", "½"), List.of("z\\")));
        String[] pieces = { "software", "SOFTWARE", "Data", "dAtA", "ai", "AI", "\u212AILO", "bakery", "café", "CAFÉ",
                "δέλτα", "δελτα", "½", "soft", "Ltd", " ", "-", "&", "😀", "" };
        String[] sics = { "62012", "63110", "10710", "1 0x", "z\\q", "99999", "6", "" };
        Random random = new Random(11);
        List<Company> companies = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String name = randomName(random, pieces, 5);
            List<String> sicCodes = null;
            if (random.nextInt(10) > 0) {
                sicCodes = new ArrayList<>();
                for (int c = random.nextInt(3); c > 0; c--) {
                    sicCodes.add((random.nextInt(8) == 0) ? null : sics[random.nextInt(sics.length)]);
                }
            }
            companies.add(new Company("%06d".formatted(i), (random.nextInt(20) == 0) ? null : name, sicCodes));
        }

        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + this.dir.resolve("scores.duckdb"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE companies (company_number VARCHAR, name VARCHAR, sic_codes VARCHAR[])");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO companies VALUES (?, ?,"
                    + " CASE WHEN ? THEN NULL ELSE list_transform(string_split(?, '|'), lambda s: nullif(s, '~'))[2:] END)")) {
                for (Company company : companies) {
                    insert.setString(1, company.companyNumber());
                    insert.setString(2, company.name());
                    insert.setBoolean(3, company.sicCodes() == null);
                    StringBuilder list = new StringBuilder("-");
                    if (company.sicCodes() != null) {
                        company.sicCodes().forEach(sic -> list.append('|').append((sic != null) ? sic : "~"));
                    }
                    insert.setString(4, list.toString());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            for (double threshold : new double[] { 0.3, 0.5 }) {
                CompanyScorer scorer = new CompanyScorer(codes, threshold);
                String function = "scores_" + (int) (threshold * 10);
                RticScoreFunctions.register(connection, function, scorer);
                String scored = "SELECT company_number, " + function + "(name, " + SicCodesText.sql("sic_codes")
                        + ") AS scored FROM companies WHERE " + RticScoreFunctions.candidates(scorer, "name");
                List<List<Object>> actual = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery("SELECT r, c, s, CAST(k AS VARCHAR) FROM ("
                        + RticScoreFunctions.rows(scored, scorer.codes()) + ") t(r, c, s, k) ORDER BY r, c")) {
                    while (rs.next()) {
                        actual.add(List.of(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getString(4)));
                    }
                }

                // Codes and companies were made in code and number order, as the query sorts them.
                List<List<Object>> expected = ExpectedScores.of(codes, companies, threshold);
                assertThat(expected).as("rows passing at %s", threshold).hasSizeGreaterThan(200);
                assertThat(actual).as("threshold %s", threshold).isEqualTo(expected);
            }
        }
    }

    @Test
    void noFilterWhenASicPrefixAlonePasses() {
        CompanyScorer sicAlonePasses = new CompanyScorer(List.of(new RticCode("R", "R", KEYWORDS, List.of("62"))),
                RticScorer.SIC_WEIGHT);
        assertThat(RticScoreFunctions.candidates(sicAlonePasses, "name")).isEqualTo("TRUE");
        CompanyScorer noKeywordCanMatch = new CompanyScorer(List.of(new RticCode("R", "R", List.of(""), List.of("62"))), 0.5);
        assertThat(RticScoreFunctions.candidates(noKeywordCanMatch, "name")).isEqualTo("FALSE");
    }

}
