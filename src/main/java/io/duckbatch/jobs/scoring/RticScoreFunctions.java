package io.duckbatch.jobs.scoring;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.duckdb.DuckDBColumnType;
import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBFunctions;
import org.duckdb.DuckDBReadableVector;
import org.duckdb.DuckDBWritableVector;

/**
 * A {@link CompanyScorer} inside DuckDB (companyScoring's udf mode): one vectorised scalar
 * function that DuckDB calls with a chunk of companies at a time, on its own threads, so
 * rows never cross JDBC, and each name is cut into tokens once for every code:
 * {@code <name>(name VARCHAR, sic_codes VARCHAR) -> VARCHAR} takes the SIC codes as
 * {@link SicCodesText} and returns the company's passing codes, NULL when none passes, as
 * {@code index:sic:keyword,keyword} items joined by {@code ;}: the code's index in code
 * order, 1 when a SIC prefix matched, the matched keywords. {@link #rows} turns them into
 * {@code rtic_scores} rows in SQL. DuckDB 2.0's Java functions take and return no LISTs,
 * hence the text; keywords that can match are runs of letters and digits, so the
 * separators cannot occur in them.
 */
final class RticScoreFunctions {

    private RticScoreFunctions() {
    }

    /** Registers the function under {@code name} (a plain SQL name) in the connection's database. */
    static void register(Connection connection, String name, CompanyScorer scorer) throws SQLException {
        DuckDBFunctions.scalarFunction()
            .withName(name)
            .withParameters(DuckDBColumnType.VARCHAR, DuckDBColumnType.VARCHAR)
            .withReturnType(DuckDBColumnType.VARCHAR)
            .withVectorizedFunction((rows, out) -> score(scorer, rows, out))
            .register(connection);
    }

    /**
     * The SELECT of {@code rtic_scores} rows from {@code companies}, a query with
     * {@code company_number} and the function's result as {@code scored} (NULLs left out):
     * the code by its index among {@code codes} (the scorer's, {@link CompanyScorer#codes},
     * written into the statement as a list, wherever the scorer's codes came from),
     * and the score computed as {@link RticScorer} does, with the same floating-point
     * operations.
     */
    static String rows(String companies, List<String> codes) {
        return """
                SELECT (%6$s)[s.code_index + 1], s.company_number,
                  %1$s::DOUBLE * least(len(s.keywords), %2$d) / %2$d
                    + CASE WHEN s.sic THEN %3$s::DOUBLE ELSE 0.0::DOUBLE END,
                  s.keywords
                FROM (
                  SELECT company_number, CAST(split_part(item, ':', 1) AS INTEGER) AS code_index,
                    split_part(item, ':', 2) = '1' AS sic, %4$s AS keywords
                  FROM (SELECT company_number, unnest(string_split(scored, ';')) AS item FROM (%5$s) WHERE scored IS NOT NULL)
                ) s
                """.formatted(RticScorer.KEYWORD_WEIGHT, RticScorer.FULL_KEYWORD_MATCHES, RticScorer.SIC_WEIGHT,
                keywordList("split_part(item, ':', 3)"), companies, codeList(codes));
    }

    /** The codes as a VARCHAR[] literal, each a string literal with its quotes doubled. */
    private static String codeList(List<String> codes) {
        return codes.stream()
            .map(code -> "'" + code.replace("'", "''") + "'")
            .collect(Collectors.joining(", ", "[", "]::VARCHAR[]"));
    }

    /**
     * A SQL condition every company that can pass meets, so that DuckDB drops the others
     * before they cross into Java (rule 2): when passing takes a keyword, the name must
     * contain one of the keywords, each of its chars matched by every char Java lower-cases
     * to it. That is a superset of the scorer's match (a whole token, lower-cased char by
     * char); the function still decides. {@code TRUE} when a SIC prefix alone can pass.
     * <p>
     * The pattern goes into the SQL as a literal, not a parameter, so that DuckDB compiles it
     * once: it is built of {@code \x{hex}} escapes and {@code |} only, so no keyword text,
     * quote or {@code ?} can reach the statement.
     */
    static String candidates(CompanyScorer scorer, String name) {
        if (scorer.sicAlonePasses()) {
            return "TRUE";
        }
        // For each char of a keyword, the chars Java lower-cases to it: one pass over the BMP.
        Map<Character, StringBuilder> classes = new LinkedHashMap<>();
        for (String keyword : scorer.lowerCaseKeywords()) {
            keyword.chars().filter(c -> !Character.isSurrogate((char) c))
                .forEach(c -> classes.putIfAbsent((char) c, new StringBuilder()));
        }
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            StringBuilder chars = classes.get(Character.toLowerCase((char) c));
            if (chars != null && !Character.isSurrogate((char) c)) {
                chars.append(hex(c));
            }
        }
        StringBuilder pattern = new StringBuilder();
        for (String keyword : scorer.lowerCaseKeywords()) {
            StringBuilder alternative = new StringBuilder();
            keyword.codePoints().forEach(c -> {
                // A char outside the BMP is compared as it is (its surrogates lower-case to themselves).
                StringBuilder chars = Character.isBmpCodePoint(c) ? classes.get((char) c) : null;
                alternative.append((chars != null) ? "[" + chars + "]" : hex(c));
            });
            if (!keyword.isEmpty() && alternative.indexOf("[]") < 0) {
                pattern.append((pattern.length() > 0) ? "|" : "").append(alternative);
            }
        }
        return (pattern.length() > 0) ? "regexp_matches(" + name + ", '" + pattern + "')" : "FALSE";
    }

    private static String hex(int codePoint) {
        return "\\x{" + Integer.toHexString(codePoint) + "}";
    }

    /** SQL turning the {@code _keywords} function's result back into a VARCHAR[]. */
    static String keywordList(String joined) {
        return "CASE WHEN " + joined + " = '' THEN []::VARCHAR[] ELSE string_split(" + joined + ", ',') END";
    }

    private static void score(CompanyScorer scorer, DuckDBDataChunkReader rows, DuckDBWritableVector out) {
        DuckDBReadableVector names = rows.vector(0);
        DuckDBReadableVector sicCodes = rows.vector(1);
        CompanyScorer.Matches matches = scorer.newMatches();
        StringBuilder scored = new StringBuilder();
        String[] results = new String[(int) rows.rowCount()];
        for (int row = 0; row < results.length; row++) {
            String name = names.getString(row);
            List<String> sics = SicCodesText.decode(sicCodes.getString(row));
            int passing = scorer.score(name, sics, matches);
            if (passing == 0) {
                continue;
            }
            scored.setLength(0);
            for (int p = 0; p < passing; p++) {
                int code = matches.passingCode(p);
                scored.append((p > 0) ? ";" : "").append(code).append(matches.sicMatched(p) ? ":1:" : ":0:");
                matches.appendKeywords(scored, code);
            }
            results[row] = scored.toString();
        }
        // One JNI call for the vector's strings, then the NULLs (no code passes) one by one.
        out.setStrings(0, results);
        for (int row = 0; row < results.length; row++) {
            if (results[row] == null) {
                out.setNull(row);
            }
        }
    }

}
