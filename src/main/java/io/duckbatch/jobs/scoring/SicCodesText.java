package io.duckbatch.jobs.scoring;

import java.util.ArrayList;
import java.util.List;

import io.duckbatch.core.duckdb.SqlNames;

/**
 * A company's SIC codes as one VARCHAR: DuckDB 2.0's columnar reads and Java functions take
 * no LISTs, and a LIST through a JDBC {@code ResultSet} costs more than the rest of the row
 * (docs/benchmarks.md). Each code is written as a space followed by the code with
 * {@code \} written {@code \\} and a space {@code \s}, so every list, {@code ['']} and
 * codes holding spaces included, comes back exactly; NULL codes are left out (they match
 * no prefix) and a NULL list stays NULL.
 */
final class SicCodesText {

    private SicCodesText() {
    }

    /** The SQL expression encoding the VARCHAR[] column {@code column}. */
    static String sql(String column) {
        SqlNames.requirePlain("SIC codes column", column);
        // A NULL code makes a NULL element, which array_to_string leaves out.
        return "array_to_string(list_transform(" + column + ", lambda s: ' ' || replace(replace(s, '\\', '\\\\'), ' ', '\\s')),"
                + " '')";
    }

    /** The codes {@link #sql} encoded, in order; {@code null} for a NULL list. */
    static List<String> decode(String text) {
        if (text == null) {
            return null;
        }
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> codes = new ArrayList<>(2);
        boolean escaped = text.indexOf('\\') >= 0;
        int start = 1; // text[0] is the first code's space
        while (start <= text.length()) {
            int end = text.indexOf(' ', start);
            if (end < 0) {
                end = text.length();
            }
            codes.add(escaped ? unescape(text, start, end) : text.substring(start, end));
            start = end + 1;
        }
        return codes;
    }

    private static String unescape(String text, int start, int end) {
        StringBuilder code = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < end) {
                c = (text.charAt(++i) == 's') ? ' ' : text.charAt(i);
            }
            code.append(c);
        }
        return code.toString();
    }

}
