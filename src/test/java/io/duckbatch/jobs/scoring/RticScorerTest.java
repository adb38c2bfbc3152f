package io.duckbatch.jobs.scoring;

import java.util.List;

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

}
