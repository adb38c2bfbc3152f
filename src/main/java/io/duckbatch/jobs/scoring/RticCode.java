package io.duckbatch.jobs.scoring;

import java.util.List;

/** One industry classification code: a scoring task. */
public record RticCode(String code, String label, List<String> keywords, List<String> sicPrefixes) {
}
