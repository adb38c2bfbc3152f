package io.duckbatch.jobs.scoring;

import java.util.List;
import java.util.Objects;

/**
 * One industry classification code. A NULL keyword or SIC prefix list, or a NULL element in
 * one, matches nothing: the code is scored as if it were absent (never a
 * NullPointerException after other codes wrote their rows).
 */
public record RticCode(String code, String label, List<String> keywords, List<String> sicPrefixes) {

    public RticCode {
        keywords = withoutNulls(keywords);
        sicPrefixes = withoutNulls(sicPrefixes);
    }

    private static List<String> withoutNulls(List<String> values) {
        return (values == null) ? List.of() : values.stream().filter(Objects::nonNull).toList();
    }

}
