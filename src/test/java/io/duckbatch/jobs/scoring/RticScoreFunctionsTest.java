package io.duckbatch.jobs.scoring;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

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
            StringBuilder name = new StringBuilder();
            for (int p = random.nextInt(4); p >= 0; p--) {
                name.append(pieces[random.nextInt(pieces.length)]);
            }
            names.add(name.toString());
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
        int matched = 0;
        for (int id = 0; id < names.size(); id++) {
            if (!scorer.matchKeywords(names.get(id)).isEmpty()) {
                matched++;
                assertThat(candidates).as(names.get(id)).contains(id);
            }
        }
        assertThat(matched).isGreaterThan(1_000);
        assertThat(candidates.size()).as("names dropped before the function").isLessThan(names.size() - 1_000);
        assertThat(scorer.matchKeywords("İRON \u212AILO")).containsExactly("iron", "kilo");
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
