package io.duckbatch.jobs.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RticScorerTest {

    private final RticScorer scorer = new RticScorer(new RticCode("RTIC01", "Software",
            List.of("software", "Data", "cloud"), List.of("620", "631")), 0.5);

    @Test
    void keywordsInTheNameAndSicPrefixesAddUp() {
        RticScore both = this.scorer.transform(new Company("00000001", "Acme Software & DATA Ltd", List.of("62012")));
        assertThat(both.score()).isEqualTo(1.0);
        assertThat(both.matchedKeywords()).containsExactly("software", "Data");
        assertThat(both.rticCode()).isEqualTo("RTIC01");

        RticScore oneKeywordAndSic = this.scorer.transform(new Company("SC000001", "Cloud Nine Ltd", List.of("99999", "63110")));
        assertThat(oneKeywordAndSic.score()).isEqualTo(RticScorer.KEYWORD_WEIGHT / 2 + RticScorer.SIC_WEIGHT);

        RticScore twoKeywords = this.scorer.transform(new Company("NI000001", "software-data-software plc", null));
        assertThat(twoKeywords.score()).isEqualTo(RticScorer.KEYWORD_WEIGHT);
        assertThat(twoKeywords.matchedKeywords()).containsExactly("software", "Data");
    }

    @Test
    void belowThresholdIsFilteredOut() {
        assertThat(this.scorer.transform(new Company("1", "Softwarehouse Ltd", List.of("62012")))).isNull();
        assertThat(this.scorer.transform(new Company("2", "Cloud Ltd", List.of("47110")))).isNull();
        assertThat(this.scorer.transform(new Company("3", null, null))).isNull();
    }


    /**
     * The tokenizer against the definition it replaces: lower-case the name, split on
     * {@code [^\p{L}\p{N}]+}, look tokens up; on random names of letters, digits, accents,
     * other scripts, numbers like '½', symbols and emoji.
     */
    @Test
    void matchesLikeSplittingTheLowerCasedNameOnNonLettersAndNonDigits() {
        RticScorer scorer = new RticScorer(new RticCode("R", "R", List.of("software", "Data", "café", "ΔΕΛΤΑ", "x2", "½"),
                List.of()), 0.5);
        Map<String, String> byToken = new HashMap<>();
        for (String keyword : List.of("software", "Data", "café", "ΔΕΛΤΑ", "x2", "½")) {
            byToken.put(keyword.toLowerCase(Locale.ROOT), keyword);
        }
        Pattern separator = Pattern.compile("[^\\p{L}\\p{N}]+");
        String[] pieces = { "software", "SOFTWARE", "Data", "data", "café", "CAFÉ", "δέλτα", "δελτα", "ΔΕΛΤΑ", "x2", "X2",
                "½", "Ltd", " ", "-", "&", ", ", "😀", "𝐀", "٣", "soft", "ware", "" };
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder name = new StringBuilder();
            for (int p = random.nextInt(6); p >= 0; p--) {
                name.append(pieces[random.nextInt(pieces.length)]);
            }
            List<String> expected = new ArrayList<>();
            for (String token : separator.split(name.toString().toLowerCase(Locale.ROOT))) {
                String keyword = byToken.get(token);
                if (keyword != null && !expected.contains(keyword)) {
                    expected.add(keyword);
                }
            }
            assertThat(scorer.matchKeywords(name.toString())).as(name.toString()).isEqualTo(expected);
        }
    }

}
