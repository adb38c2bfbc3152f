package io.duckbatch.jobs.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-pass scorer against its oracle: every code's own {@link RticScorer}, in a plain loop. */
class CompanyScorerTest {

    /** Codes sharing keywords (also differently cased), non-ASCII ones, empty and NULL lists. */
    private static final List<RticCode> CODES = List.of(
            new RticCode("R1", "Software", List.of("software", "Data", "cloud", "DATA"), List.of("620", "631")),
            new RticCode("R2", "Data centres", List.of("data", "centre", "İron"), List.of("63", "")),
            new RticCode("R3", "Cafés", List.of("café", "ΔΕΛΤΑ", "½", "\uD801\uDC00x"), List.of("56")),
            new RticCode("R4", "SIC only", List.of(), List.of("6")),
            new RticCode("R5", "Nothing", null, Arrays.asList("62", null)));

    private static final String[] PIECES = { "software", "SOFTWARE", "Data", "data", "DATA", "cloud", "centre", "İRON", "iron",
            "café", "CAFÉ", "δέλτα", "ΔΕΛΤΑ", "½", "\uD801\uDC00X", "\uD801\uDC28x", "Ltd", " ", "-", "&", "😀", "soft", "" };

    private static final String[] SICS = { "62012", "63110", "56101", "6", "", "99999", "62 0", "x" };

    @Test
    void scoresEveryCodeAsThatCodesOwnScorer() {
        for (double threshold : new double[] { 0.0, 0.3, 0.4, 0.5, 0.7, 1.0 }) {
            CompanyScorer scorer = new CompanyScorer(CODES, threshold);
            CompanyScorer.Matches matches = scorer.newMatches();
            List<RticScorer> oracle = CODES.stream().map(code -> new RticScorer(code, threshold)).toList();
            Random random = new Random(11);
            int rows = 0;
            for (int i = 0; i < 20_000; i++) {
                Company company = new Company("%06d".formatted(i), randomName(random), randomSics(random));
                List<RticScore> expected = new ArrayList<>();
                for (RticScorer code : oracle) {
                    RticScore score = code.transform(company);
                    if (score != null) {
                        expected.add(score);
                    }
                }
                List<RticScore> actual = scorer.transform(company, matches);
                assertThat(actual).as("%s at %s", company, threshold).isEqualTo(expected.isEmpty() ? null : expected);
                rows += expected.size();
            }
            assertThat(rows).as("rows at threshold %s", threshold).isPositive();
        }
    }

    @Test
    void aNullKeywordOrPrefixListOrElementMatchesNothing() {
        CompanyScorer scorer = new CompanyScorer(List.of(CODES.get(4)), 0.3);
        assertThat(scorer.transform(new Company("1", "Data Ltd", List.of("62012")))).containsExactly(
                new RticScore("R5", "1", RticScorer.SIC_WEIGHT, List.of()));
        assertThat(scorer.transform(new Company("2", "Data Ltd", Arrays.asList(null, "99")))).isNull();
    }

    private static String randomName(Random random) {
        if (random.nextInt(50) == 0) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        for (int p = random.nextInt(6); p >= 0; p--) {
            name.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return name.toString();
    }

    private static List<String> randomSics(Random random) {
        int size = random.nextInt(5) - 1;
        if (size < 0) {
            return null;
        }
        List<String> sics = new ArrayList<>();
        for (int s = 0; s < size; s++) {
            sics.add(random.nextInt(10) == 0 ? null : SICS[random.nextInt(SICS.length)]);
        }
        return sics;
    }

}
