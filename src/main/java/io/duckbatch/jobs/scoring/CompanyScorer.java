package io.duckbatch.jobs.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.duckbatch.core.process.BatchTransformer;

/**
 * Scores a company against every RTIC code in one pass over its name (rules 6 and 7): the
 * name is cut into tokens once ({@link NameTokens}, as {@link RticScorer} cuts it) and each
 * token is looked up, without a lower-cased copy or a substring, in one index of every
 * code's keywords, which names the codes and keywords it matches. SIC codes are matched to
 * the codes' prefixes once per distinct SIC code and cached. Scores are computed as
 * {@link RticScorer} computes them, with the same floating-point operations; for every code
 * the result equals that code's {@link RticScorer} (the oracle in the tests).
 * <p>
 * Everything that does not depend on the company is computed once, in the constructor. An
 * instance may be shared between threads: per-company state lives in a {@link Matches}
 * each caller owns.
 */
public final class CompanyScorer implements BatchTransformer<Company, List<RticScore>> {

    /**
     * Raise it with any change that alters a score or the keywords written: a target scored
     * by another version is then re-scored in full by the next run ({@link ScoringRefresh}).
     */
    static final int VERSION = 1;

    /** Distinct SIC codes remembered with the codes they match; beyond this, matched each time. */
    private static final int SIC_CACHE_LIMIT = 100_000;

    private static final long[] NO_CODES = new long[0];

    private final String[] codes;

    /** Per code, its configured keywords: for each lower-case keyword, the last configured one. */
    private final String[][] keywords;

    private final String[][] sicPrefixes;

    private final double[] scoreByMatches;

    private final double threshold;

    /** Whether a SIC prefix alone scores enough: then every company's SIC codes are matched. */
    private final boolean sicAlonePasses;

    /** Codes a company passes without a keyword or a SIC prefix (every code at a threshold of 0), as bits. */
    private final long[] passingAlone;

    private final KeywordIndex index;

    private final Map<String, long[]> codesBySic = new ConcurrentHashMap<>();

    public CompanyScorer(List<RticCode> codes, double threshold) {
        int count = codes.size();
        this.codes = new String[count];
        this.keywords = new String[count][];
        this.sicPrefixes = new String[count][];
        this.threshold = threshold;
        this.index = new KeywordIndex();
        for (int c = 0; c < count; c++) {
            RticCode code = codes.get(c);
            this.codes[c] = code.code();
            Map<String, String> keywordByToken = new LinkedHashMap<>();
            for (String keyword : code.keywords()) {
                keywordByToken.put(keyword.toLowerCase(Locale.ROOT), keyword);
            }
            this.keywords[c] = keywordByToken.values().toArray(String[]::new);
            int k = 0;
            for (String lowerKeyword : keywordByToken.keySet()) {
                this.index.add(lowerKeyword, c, k++);
            }
            this.sicPrefixes[c] = code.sicPrefixes().toArray(String[]::new);
        }
        this.scoreByMatches = new double[RticScorer.FULL_KEYWORD_MATCHES + 1];
        for (int matches = 0; matches <= RticScorer.FULL_KEYWORD_MATCHES; matches++) {
            this.scoreByMatches[matches] = RticScorer.KEYWORD_WEIGHT * matches / RticScorer.FULL_KEYWORD_MATCHES;
        }
        this.sicAlonePasses = this.scoreByMatches[0] + RticScorer.SIC_WEIGHT >= threshold;
        this.passingAlone = new long[words(count)];
        if (this.scoreByMatches[0] >= threshold) {
            for (int c = 0; c < count; c++) {
                this.passingAlone[c >>> 6] |= 1L << c;
            }
        }
    }

    /** The codes, in the order their indexes in {@link Matches} refer to. */
    public List<String> codes() {
        return List.of(this.codes);
    }

    /** Every lower-case keyword of every code: what a name must contain to match any. */
    List<String> lowerCaseKeywords() {
        return this.index.keywords();
    }

    /** Whether a company can pass for some code without a keyword in its name. */
    boolean sicAlonePasses() {
        return this.sicAlonePasses;
    }

    /** Scratch space for one company at a time; one per thread. */
    public Matches newMatches() {
        return new Matches(this.codes.length, this.keywords);
    }

    @Override
    public List<RticScore> transform(Company company) {
        return transform(company, newMatches());
    }

    /** The company's rows, one per passing code in code order, or {@code null} when none passes. */
    public List<RticScore> transform(Company company, Matches matches) {
        List<RticScore> rows = new ArrayList<>(2);
        addRows(company, matches, rows);
        return rows.isEmpty() ? null : rows;
    }

    /** The rows of every company of the batch, company by company, or {@code null} when none passes. */
    public List<RticScore> transform(List<Company> companies, Matches matches) {
        List<RticScore> rows = new ArrayList<>(companies.size());
        for (Company company : companies) {
            addRows(company, matches, rows);
        }
        return rows.isEmpty() ? null : rows;
    }

    private void addRows(Company company, Matches matches, List<RticScore> rows) {
        int passing = score(company.name(), company.sicCodes(), matches);
        for (int p = 0; p < passing; p++) {
            int code = matches.passing[p];
            rows.add(new RticScore(this.codes[code], company.companyNumber(), matches.score[p], matches.keywords(code)));
        }
    }

    /**
     * Scores the company against every code into {@code matches}.
     * @return how many codes pass: {@code matches.passing[0..n)} holds them in code order,
     * {@code matches.score[0..n)} their scores
     */
    public int score(String name, List<String> sicCodes, Matches matches) {
        matches.clear();
        matchKeywords(name, matches);
        if (matches.touchedCount == 0 && !this.sicAlonePasses) {
            return 0;
        }
        long[] sicMatched = sicMatched(sicCodes);
        long[] candidates = matches.candidates;
        if (this.sicAlonePasses) {
            for (int w = 0; w < sicMatched.length; w++) {
                candidates[w] |= sicMatched[w];
            }
            for (int w = 0; w < candidates.length; w++) {
                candidates[w] |= this.passingAlone[w];
            }
        }
        int passing = 0;
        for (int w = 0; w < candidates.length; w++) {
            for (long bits = candidates[w]; bits != 0; bits &= bits - 1) {
                int code = (w << 6) + Long.numberOfTrailingZeros(bits);
                boolean sic = w < sicMatched.length && (sicMatched[w] & (1L << code)) != 0;
                double score = this.scoreByMatches[Math.min(matches.count[code], RticScorer.FULL_KEYWORD_MATCHES)]
                        + (sic ? RticScorer.SIC_WEIGHT : 0);
                if (score >= this.threshold) {
                    matches.passing[passing] = code;
                    matches.sic[passing] = sic;
                    matches.score[passing++] = score;
                }
            }
        }
        return passing;
    }

    /** The configured keyword {@code k} of code {@code code}. */
    String keyword(int code, int k) {
        return this.keywords[code][k];
    }

    private void matchKeywords(String name, Matches matches) {
        if (name == null) {
            return;
        }
        int length = name.length();
        for (int start = NameTokens.tokenStart(name, 0), end; start < length; start = NameTokens.tokenStart(name, end)) {
            end = NameTokens.tokenEnd(name, start);
            int[] postings = this.index.find(name, start, end);
            if (postings != null) {
                for (int p = 0; p < postings.length; p += 2) {
                    matches.add(postings[p], postings[p + 1]);
                }
            }
        }
    }

    /** Bits of the codes one of whose SIC prefixes starts one of the SIC codes. */
    private long[] sicMatched(List<String> sicCodes) {
        if (sicCodes == null || sicCodes.isEmpty()) {
            return NO_CODES;
        }
        if (sicCodes.size() == 1) {
            return codesMatching(sicCodes.get(0));
        }
        long[] union = null;
        for (String sic : sicCodes) {
            long[] matched = codesMatching(sic);
            if (matched.length > 0) {
                if (union == null) {
                    union = matched.clone();
                }
                else {
                    for (int w = 0; w < matched.length; w++) {
                        union[w] |= matched[w];
                    }
                }
            }
        }
        return (union != null) ? union : NO_CODES;
    }

    private long[] codesMatching(String sic) {
        if (sic == null) {
            return NO_CODES;
        }
        long[] cached = this.codesBySic.get(sic);
        if (cached != null) {
            return cached;
        }
        long[] matched = new long[words(this.codes.length)];
        boolean any = false;
        for (int code = 0; code < this.codes.length; code++) {
            for (String prefix : this.sicPrefixes[code]) {
                if (sic.startsWith(prefix)) {
                    matched[code >>> 6] |= 1L << code;
                    any = true;
                    break;
                }
            }
        }
        long[] result = any ? matched : NO_CODES;
        if (this.codesBySic.size() < SIC_CACHE_LIMIT) {
            this.codesBySic.put(sic, result);
        }
        return result;
    }

    private static int words(int bits) {
        return (bits + 63) >>> 6;
    }

    /** One company's keyword matches and passing codes; reused from company to company. */
    public static final class Matches {

        /** Per code: how many distinct keywords matched, and which, in order of first appearance. */
        final int[] count;

        final int[][] matched;

        /** Codes with at least one keyword, as bits. */
        final long[] candidates;

        final int[] touched;

        int touchedCount;

        /** The passing codes of the last {@link #score}, their scores and SIC matches. */
        final int[] passing;

        final double[] score;

        final boolean[] sic;

        private final String[][] keywords;

        Matches(int codes, String[][] keywords) {
            this.count = new int[codes];
            this.matched = new int[codes][];
            for (int c = 0; c < codes; c++) {
                this.matched[c] = new int[keywords[c].length];
            }
            this.candidates = new long[words(codes)];
            this.touched = new int[codes];
            this.passing = new int[codes];
            this.score = new double[codes];
            this.sic = new boolean[codes];
            this.keywords = keywords;
        }

        void clear() {
            for (int t = 0; t < this.touchedCount; t++) {
                this.count[this.touched[t]] = 0;
            }
            this.touchedCount = 0;
            Arrays.fill(this.candidates, 0);
        }

        void add(int code, int keyword) {
            int n = this.count[code];
            int[] seen = this.matched[code];
            for (int i = 0; i < n; i++) {
                if (seen[i] == keyword) {
                    return;
                }
            }
            if (n == 0) {
                this.touched[this.touchedCount++] = code;
                this.candidates[code >>> 6] |= 1L << code;
            }
            seen[n] = keyword;
            this.count[code] = n + 1;
        }

        /** The configured keywords code {@code code} matched, in order of first appearance. */
        public List<String> keywords(int code) {
            int n = this.count[code];
            if (n == 0) {
                return List.of();
            }
            String[] found = new String[n];
            for (int i = 0; i < n; i++) {
                found[i] = this.keywords[code][this.matched[code][i]];
            }
            return List.of(found);
        }

        /** Appends the keywords code {@code code} matched, comma separated, without a list of them. */
        public void appendKeywords(StringBuilder out, int code) {
            for (int i = 0; i < this.count[code]; i++) {
                out.append((i > 0) ? "," : "").append(this.keywords[code][this.matched[code][i]]);
            }
        }

        public int passingCode(int p) {
            return this.passing[p];
        }

        public boolean sicMatched(int p) {
            return this.sic[p];
        }

    }

    /**
     * Lower-case keyword to (code, keyword) postings, open addressing: a token is hashed and
     * compared char by char, lower-casing as it goes, so a lookup allocates nothing. The hash
     * is {@link String#hashCode()} of the lower-case keyword, computed over the token the same way.
     */
    private static final class KeywordIndex {

        private String[] slots = new String[16];

        private int[][] postings = new int[16][];

        private int size;

        private long lengths; // bit n set: some keyword has n chars (n < 63); bit 63: a longer one

        void add(String lowerKeyword, int code, int keyword) {
            if (lowerKeyword.isEmpty()) {
                return; // no token is empty
            }
            if ((this.size + 1) * 2 > this.slots.length) {
                grow();
            }
            int slot = slot(lowerKeyword);
            if (this.slots[slot] == null) {
                this.slots[slot] = lowerKeyword;
                this.postings[slot] = new int[] { code, keyword };
                this.size++;
                this.lengths |= lengthBit(lowerKeyword.length());
            }
            else {
                int[] old = this.postings[slot];
                int[] grown = Arrays.copyOf(old, old.length + 2);
                grown[old.length] = code;
                grown[old.length + 1] = keyword;
                this.postings[slot] = grown;
            }
        }

        int[] find(String name, int start, int end) {
            int length = end - start;
            if ((this.lengths & lengthBit(length)) == 0) {
                return null;
            }
            int hash = 0;
            for (int i = start; i < end; i++) {
                hash = 31 * hash + Character.toLowerCase(name.charAt(i));
            }
            int mask = this.slots.length - 1;
            for (int slot = spread(hash) & mask;; slot = (slot + 1) & mask) {
                String keyword = this.slots[slot];
                if (keyword == null) {
                    return null;
                }
                if (keyword.length() == length && keyword.hashCode() == hash
                        && NameTokens.equalsLowerCase(name, start, keyword)) {
                    return this.postings[slot];
                }
            }
        }

        List<String> keywords() {
            return Arrays.stream(this.slots).filter(s -> s != null).toList();
        }

        private int slot(String keyword) {
            int mask = this.slots.length - 1;
            int slot = spread(keyword.hashCode()) & mask;
            while (this.slots[slot] != null && !this.slots[slot].equals(keyword)) {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        private void grow() {
            String[] oldSlots = this.slots;
            int[][] oldPostings = this.postings;
            this.slots = new String[oldSlots.length * 2];
            this.postings = new int[oldSlots.length * 2][];
            for (int i = 0; i < oldSlots.length; i++) {
                if (oldSlots[i] != null) {
                    int slot = slot(oldSlots[i]);
                    this.slots[slot] = oldSlots[i];
                    this.postings[slot] = oldPostings[i];
                }
            }
        }

        private static long lengthBit(int length) {
            return (length < 63) ? 1L << length : Long.MIN_VALUE;
        }

        private static int spread(int hash) {
            return hash ^ (hash >>> 16);
        }

    }

}
