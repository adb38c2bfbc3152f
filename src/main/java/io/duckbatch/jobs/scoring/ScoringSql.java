package io.duckbatch.jobs.scoring;

import io.duckbatch.core.duckdb.SqlNames;

/**
 * The {@link RticScorer} written in plain SQL: every company against every RTIC code in one
 * {@code INSERT INTO rtic_scores SELECT ...}, the engine's own limit for this work (bench's
 * sql mode), written as the strongest single statement found: names tokenised once, tokens
 * joined to a keyword to (code, keyword) table, so only candidate pairs are scored (see
 * {@link #insert}). Same scores, in the same floating-point order, as the scorer. Its SQL
 * tokeniser lower-cases with DuckDB's {@code lower}, not Java's char by char, so it is the
 * reference for speed and is tested equal on the demo, not an oracle for every script.
 */
public final class ScoringSql {

    private ScoringSql() {
    }

    /**
     * The statement scores only the pairs that can pass, not companies x codes:
     * <ul>
     * <li>each distinct name is split once into tokens of letters and digits
     * ({@code regexp_split_to_array}) and its tokens joined to the lower-cased keywords of
     * every code: only the pairs with a keyword come out, their keywords in order of first
     * appearance, repeats dropped. A lower-cased keyword stands for the last configured
     * keyword spelling it, and an empty keyword for none (the scorer's tokens are never empty;
     * the split's are at the ends of the name);</li>
     * <li>companies without a keyword of a code score the SIC weight or nothing: these pairs
     * are only made when that score passes the threshold (a constant of the statement, so
     * DuckDB skips an empty branch). SIC-only pairs come from joining each distinct SIC code
     * to the prefixes it starts with, instead of testing every company against every code.
     * Pairs scoring 0 are made, by that test, only at a threshold of 0 or less: every pair is
     * written then anyway.</li>
     * </ul>
     * A NULL name has no keyword; a NULL list or element of SIC codes, keywords or prefixes
     * matches nothing.
     * @param source the alias of the attached source database holding {@code companies} and
     * {@code rtic_codes}
     * @return the INSERT; its one parameter is the threshold
     */
    public static String insert(String source) {
        SqlNames.requirePlain("source alias", source);
        // The scorer's operations, for the pairs scored and for the constant score of the
        // branches without a keyword: these are made exactly when that score passes.
        String score = "%s::DOUBLE * least(%%s, %d) / %d + CASE WHEN %%s THEN %s::DOUBLE ELSE 0.0::DOUBLE END".formatted(
                RticScorer.KEYWORD_WEIGHT, RticScorer.FULL_KEYWORD_MATCHES, RticScorer.FULL_KEYWORD_MATCHES,
                RticScorer.SIC_WEIGHT);
        return "INSERT INTO " + CompanyScoringJobConfiguration.TARGET_TABLE + """
                 WITH threshold AS (
                  SELECT ?::DOUBLE AS value
                ), keywordless_passes AS (
                  SELECT %3$s >= value AS with_sic,
                    %4$s >= value AS without_sic
                  FROM threshold
                ), keyword AS (
                  SELECT rtic_code, lower(k.keyword) AS token, arg_max(k.keyword, k.position) AS keyword
                  FROM %1$s.rtic_codes, unnest(keywords) WITH ORDINALITY AS k(keyword, position)
                  WHERE k.keyword <> ''
                  GROUP BY rtic_code, token
                ), name_token AS (
                  SELECT name, unnest(tokens) AS token, generate_subscripts(tokens, 1) AS position
                  FROM (
                    SELECT name, regexp_split_to_array(lower(name), '[^\\p{L}\\p{N}]+') AS tokens
                    FROM (SELECT DISTINCT name FROM %1$s.companies))
                ), name_match AS (
                  SELECT name, rtic_code, list_filter(hits, lambda k, i: list_position(hits, k) = i) AS keywords
                  FROM (
                    SELECT name, rtic_code, list(keyword ORDER BY position) AS hits
                    FROM name_token JOIN keyword USING (token)
                    GROUP BY name, rtic_code)
                ), sic_match AS (
                  SELECT DISTINCT s.sic, code.rtic_code
                  FROM (SELECT DISTINCT unnest(sic_codes) AS sic FROM %1$s.companies) s
                  JOIN (SELECT rtic_code, unnest(sic_prefixes) AS prefix FROM %1$s.rtic_codes) code
                    ON starts_with(s.sic, code.prefix)
                  WHERE (SELECT with_sic FROM keywordless_passes)
                ), candidate AS (
                  SELECT c.company_number, m.rtic_code, m.keywords, %2$s AS sic_matched
                  FROM %1$s.companies c JOIN name_match m USING (name) JOIN %1$s.rtic_codes code USING (rtic_code)
                  UNION ALL
                  SELECT DISTINCT c.company_number, m.rtic_code, []::VARCHAR[], true
                  FROM (SELECT company_number, name, unnest(sic_codes) AS sic FROM %1$s.companies) c
                  JOIN sic_match m USING (sic)
                  WHERE NOT EXISTS (SELECT 1 FROM name_match n WHERE n.name = c.name AND n.rtic_code = m.rtic_code)
                  UNION ALL
                  SELECT c.company_number, code.rtic_code, []::VARCHAR[], false
                  FROM %1$s.companies c,
                    (SELECT rtic_code, sic_prefixes FROM %1$s.rtic_codes WHERE (SELECT without_sic FROM keywordless_passes)) code
                  WHERE NOT EXISTS (SELECT 1 FROM name_match n WHERE n.name = c.name AND n.rtic_code = code.rtic_code)
                    AND NOT %2$s
                ), scored AS (
                  SELECT rtic_code, company_number, keywords, %5$s AS score
                  FROM candidate
                )
                SELECT rtic_code, company_number, score, keywords FROM scored WHERE score >= (SELECT value FROM threshold)
                """.formatted(source, sicPrefixMatched("c.sic_codes", "code.sic_prefixes"), score.formatted("0", "true"),
                        score.formatted("0", "false"), score.formatted("len(keywords)", "sic_matched"));
    }

    /**
     * Whether one of the SIC codes (a VARCHAR[] expression) starts with one of the prefixes
     * (another): true or false, never NULL.
     */
    static String sicPrefixMatched(String sicCodes, String sicPrefixes) {
        return "coalesce(list_bool_or(list_transform(" + sicCodes + ", lambda s: list_bool_or(list_transform("
                + sicPrefixes + ", lambda p: starts_with(s, p))))), false)";
    }

}
