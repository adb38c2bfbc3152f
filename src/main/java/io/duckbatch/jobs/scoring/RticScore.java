package io.duckbatch.jobs.scoring;

import java.util.List;

/** A row of {@code rtic_scores}. */
public record RticScore(String rticCode, String companyNumber, double score, List<String> matchedKeywords) {

    /** A row of the same code: this row serves as the template holding the constant columns. */
    RticScore with(String companyNumber, double score, List<String> matchedKeywords) {
        return new RticScore(this.rticCode, companyNumber, score, matchedKeywords);
    }

}
