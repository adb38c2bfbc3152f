package io.duckbatch.jobs.scoring;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.duckdb.DuckDBColumnType;
import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBFunctions;
import org.duckdb.DuckDBReadableVector;
import org.duckdb.DuckDBWritableVector;

/**
 * A {@link RticScorer} inside DuckDB (companyScoring's udf mode): two vectorised scalar
 * functions that DuckDB calls with a chunk of rows at a time, on its own threads, so rows
 * never cross JDBC. The scorer, built once per task, holds the pre-computed lookups (rule 7).
 * <ul>
 * <li>{@code <name>(name VARCHAR, sic_matched BOOLEAN) -> DOUBLE}: the score, NULL below the
 * threshold;</li>
 * <li>{@code <name>_keywords(name VARCHAR) -> VARCHAR}: the matched keywords, comma separated.</li>
 * </ul>
 * DuckDB 2.0's Java functions take and return no LISTs, and each string they read is a JNI
 * call, a copy and a UTF-8 decode: the SIC prefix test stays in SQL
 * ({@link ScoringSql#sicPrefixMatched}), which hands in a BOOLEAN, and the keywords go out joined by
 * commas ({@link #keywordList}; keywords are single tokens of letters and digits).
 */
final class RticScoreFunctions {

    private RticScoreFunctions() {
    }

    /** Registers both functions under {@code name} (a plain SQL name) in the connection's database. */
    static void register(Connection connection, String name, RticScorer scorer) throws SQLException {
        DuckDBFunctions.scalarFunction()
            .withName(name)
            .withParameters(DuckDBColumnType.VARCHAR, DuckDBColumnType.BOOLEAN)
            .withReturnType(DuckDBColumnType.DOUBLE)
            .withVectorizedFunction((rows, out) -> score(scorer, rows, out))
            .register(connection);
        DuckDBFunctions.scalarFunction()
            .withName(name + "_keywords")
            .withParameter(DuckDBColumnType.VARCHAR)
            .withReturnType(DuckDBColumnType.VARCHAR)
            .withVectorizedFunction((rows, out) -> keywords(scorer, rows, out))
            .register(connection);
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
    static String candidates(RticScorer scorer, String name) {
        if (!scorer.needsKeyword()) {
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

    private static void score(RticScorer scorer, DuckDBDataChunkReader rows, DuckDBWritableVector out) {
        DuckDBReadableVector names = rows.vector(0);
        DuckDBReadableVector sicMatched = rows.vector(1);
        long count = rows.rowCount();
        for (long row = 0; row < count; row++) {
            String name = names.isNull(row) ? null : names.getString(row);
            double score = scorer.score(scorer.matchKeywords(name), sicMatched.getBoolean(row));
            if (scorer.passes(score)) {
                out.setDouble(row, score);
            }
            else {
                out.setNull(row);
            }
        }
    }

    private static void keywords(RticScorer scorer, DuckDBDataChunkReader rows, DuckDBWritableVector out) {
        DuckDBReadableVector names = rows.vector(0);
        long count = rows.rowCount();
        for (long row = 0; row < count; row++) {
            List<String> matched = scorer.matchKeywords(names.isNull(row) ? null : names.getString(row));
            out.setString(row, String.join(",", matched));
        }
    }

}
