package io.duckbatch.jobs.scoring;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    private final String[] lowerKeywords; // lower-case, distinct

    private final String[] keywords; // as configured, for each lower-case keyword (the last one configured)

    private final long keywordLengths; // bit n set: some keyword has n chars (n < 64)

    private final String[] sicPrefixes;

    private final double[] scoreByMatches; // keyword part of the score, by number of matches

    private final RticScore template; // the constant columns of every row of this code

    private final double threshold;

    public RticScorer(RticCode code, double threshold) {
        this.template = new RticScore(code.code(), null, 0, List.of());
        this.threshold = threshold;
        Map<String, String> keywordByToken = new LinkedHashMap<>();
        for (String keyword : code.keywords()) {
            keywordByToken.put(keyword.toLowerCase(Locale.ROOT), keyword);
        }
        this.lowerKeywords = keywordByToken.keySet().toArray(String[]::new);
        this.keywords = keywordByToken.values().toArray(String[]::new);
        long lengths = 0;
        for (String keyword : this.lowerKeywords) {
            lengths |= (keyword.length() < 64) ? 1L << keyword.length() : Long.MIN_VALUE;
        }
        this.keywordLengths = lengths;
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

    /** Whether a company passes only with a keyword in its name: a SIC prefix alone scores too little. */
    boolean needsKeyword() {
        return !passes(score(List.of(), true));
    }

    /** The keywords as the name's tokens are compared with them: lower-case, distinct. */
    List<String> lowerCaseKeywords() {
        return List.of(this.lowerKeywords);
    }

    /**
     * The configured keywords found in the name, in order of first appearance. The name is
     * cut into tokens of letters and digits (Unicode categories L and N, as the regex
     * {@code [^\p{L}\p{N}]+} splits it) and each token compared, lower-cased char by char,
     * with the keywords: no substring, no lower-cased copy of the name, no allocation unless a
     * keyword is found.
     */
    List<String> matchKeywords(String name) {
        if (name == null) {
            return List.of();
        }
        List<String> matched = null;
        int length = name.length();
        for (int start = NameTokens.tokenStart(name, 0), end; start < length; start = NameTokens.tokenStart(name, end)) {
            end = NameTokens.tokenEnd(name, start);
            int keyword = keywordIndex(name, start, end);
            if (keyword >= 0) {
                if (matched == null) {
                    matched = new ArrayList<>(2);
                }
                if (!matched.contains(this.keywords[keyword])) {
                    matched.add(this.keywords[keyword]);
                }
            }
        }
        return (matched != null) ? matched : List.of();
    }

    private int keywordIndex(String name, int start, int end) {
        int tokenLength = end - start;
        if (tokenLength < 64 && (this.keywordLengths & (1L << tokenLength)) == 0) {
            return -1;
        }
        for (int k = 0; k < this.lowerKeywords.length; k++) {
            String keyword = this.lowerKeywords[k];
            if (keyword.length() == tokenLength && NameTokens.equalsLowerCase(name, start, keyword)) {
                return k;
            }
        }
        return -1;
    }

    /** Whether a SIC code starts with one of the code's prefixes ({@link ScoringSql#sicPrefixMatched} in SQL). */
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
