package io.duckbatch.jobs.scoring;

import io.duckbatch.core.duckdb.SqlNames;

/**
 * The {@link RticScorer} written in plain SQL: every company against every RTIC code in one
 * {@code INSERT INTO rtic_scores SELECT ...}, the engine's own limit for this work (bench's
 * sql mode). Names are split into tokens of letters and digits with
 * {@code regexp_split_to_array}, tokens mapped to the configured keywords with
 * {@code list_position}, repeats dropped keeping first appearances; SIC prefixes matched with
 * {@code starts_with}. Same scores, in the same floating-point order, as the scorer.
 */
public final class ScoringSql {

    private ScoringSql() {
    }

    /**
     * @param source the alias of the attached source database holding {@code companies} and
     * {@code rtic_codes}
     * @return the INSERT; its one parameter is the threshold
     */
    public static String insert(String source) {
        SqlNames.requirePlain("source alias", source);
        return "INSERT INTO " + CompanyScoringJobConfiguration.TARGET_TABLE + """
                 WITH code AS (
                  SELECT rtic_code, keywords, list_transform(keywords, lambda k: lower(k)) AS lower_keywords, sic_prefixes
                  FROM %1$s.rtic_codes
                ), tokenized AS (
                  SELECT company_number, sic_codes, regexp_split_to_array(lower(name), '[^\\p{L}\\p{N}]+') AS tokens
                  FROM %1$s.companies
                ), hits AS (
                  SELECT code.rtic_code, t.company_number, t.sic_codes, code.sic_prefixes,
                    list_transform(t.tokens, lambda tok: code.keywords[list_position(code.lower_keywords, tok)]) AS hits
                  FROM tokenized t CROSS JOIN code
                ), matched AS (
                  SELECT rtic_code, company_number, sic_codes, sic_prefixes,
                    coalesce(list_filter(hits, lambda k, i: k IS NOT NULL AND list_position(hits, k) = i), []) AS keywords
                  FROM hits
                ), scored AS (
                  SELECT rtic_code, company_number, keywords,
                    %2$s::DOUBLE * least(len(keywords), %3$d) / %3$d
                      + CASE WHEN %5$s THEN %4$s::DOUBLE ELSE 0.0::DOUBLE END AS score
                  FROM matched
                )
                SELECT rtic_code, company_number, score, keywords FROM scored WHERE score >= ?
                """.formatted(source, RticScorer.KEYWORD_WEIGHT, RticScorer.FULL_KEYWORD_MATCHES, RticScorer.SIC_WEIGHT,
                        sicPrefixMatched("sic_codes", "sic_prefixes"));
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
