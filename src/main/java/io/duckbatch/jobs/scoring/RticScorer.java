package io.duckbatch.jobs.scoring;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.duckbatch.core.process.BatchTransformer;

/**
 * Scores a company against one RTIC code (rule 7): keywords found in the company's name
 * weigh {@value #KEYWORD_WEIGHT} (two or more keywords give the full weight), a SIC code
 * starting with one of the code's prefixes weighs {@value #SIC_WEIGHT}. Companies scoring
 * below the threshold are filtered out. Everything that does not depend on the company is
 * computed once, in the constructor.
 */
public class RticScorer implements BatchTransformer<Company, RticScore> {

    static final double KEYWORD_WEIGHT = 0.6;

    static final double SIC_WEIGHT = 0.4;

    /** Keyword matches that earn the full keyword weight. */
    static final int FULL_KEYWORD_MATCHES = 2;

    // Pre-computed once per step (rule 7):
    private final Map<String, String> keywordByToken; // lower-case token -> keyword as configured

    private final Pattern tokenSeparator;

    private final String[] sicPrefixes;

    private final double[] scoreByMatches; // keyword part of the score, by number of matches

    private final RticScore template; // the constant columns of every row of this code

    private final double threshold;

    public RticScorer(RticCode code, double threshold) {
        this.template = new RticScore(code.code(), null, 0, List.of());
        this.threshold = threshold;
        this.keywordByToken = new HashMap<>();
        for (String keyword : code.keywords()) {
            this.keywordByToken.put(keyword.toLowerCase(Locale.ROOT), keyword);
        }
        this.tokenSeparator = Pattern.compile("[^\\p{L}\\p{N}]+");
        this.sicPrefixes = code.sicPrefixes().toArray(String[]::new);
        this.scoreByMatches = new double[FULL_KEYWORD_MATCHES + 1];
        for (int matches = 0; matches <= FULL_KEYWORD_MATCHES; matches++) {
            this.scoreByMatches[matches] = KEYWORD_WEIGHT * matches / FULL_KEYWORD_MATCHES;
        }
    }

    /** The scorer of {@code code}, as read from the source's {@code rtic_codes}. */
    public static RticScorer load(DataSource source, String code, double threshold) {
        try {
            return new RticScorer(RticCodes.find(source, code), threshold);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot load RTIC code " + code + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public RticScore transform(Company company) {
        List<String> matched = matchKeywords(company.name());
        double score = score(matched, hasSicPrefix(company.sicCodes()));
        if (!passes(score)) {
            return null;
        }
        return this.template.with(company.companyNumber(), score, matched);
    }

    double score(List<String> matchedKeywords, boolean sicPrefixMatched) {
        return this.scoreByMatches[Math.min(matchedKeywords.size(), FULL_KEYWORD_MATCHES)]
                + (sicPrefixMatched ? SIC_WEIGHT : 0);
    }

    boolean passes(double score) {
        return score >= this.threshold;
    }

    /** The configured keywords found in the name, in order of first appearance. */
    List<String> matchKeywords(String name) {
        if (name == null) {
            return List.of();
        }
        List<String> matched = null;
        for (String token : this.tokenSeparator.split(name.toLowerCase(Locale.ROOT))) {
            String keyword = this.keywordByToken.get(token);
            if (keyword != null) {
                if (matched == null) {
                    matched = new ArrayList<>(2);
                }
                if (!matched.contains(keyword)) {
                    matched.add(keyword);
                }
            }
        }
        return (matched != null) ? matched : List.of();
    }

    /**
     * Whether one of the SIC codes in {@code sicCodes}, separated by {@code separator}, starts
     * with one of the code's prefixes; no code is cut out of the string.
     */
    boolean hasSicPrefix(String sicCodes, char separator) {
        if (sicCodes == null) {
            return false;
        }
        int start = 0;
        while (start <= sicCodes.length()) {
            int end = sicCodes.indexOf(separator, start);
            if (end < 0) {
                end = sicCodes.length();
            }
            for (String prefix : this.sicPrefixes) {
                if (prefix.length() <= end - start && sicCodes.startsWith(prefix, start)) {
                    return true;
                }
            }
            start = end + 1;
        }
        return false;
    }

    private boolean hasSicPrefix(List<String> sicCodes) {
        if (sicCodes == null) {
            return false;
        }
        for (String sic : sicCodes) {
            if (sic == null) {
                continue;
            }
            for (String prefix : this.sicPrefixes) {
                if (sic.startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }

}
