package io.duckbatch.jobs.scoring;

import java.util.List;

/** A row of {@code rtic_scores}. */
public record RticScore(String rticCode, String companyNumber, double score, List<String> matchedKeywords) {
}
