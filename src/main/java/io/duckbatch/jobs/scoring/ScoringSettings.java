package io.duckbatch.jobs.scoring;

import java.nio.file.Path;

/**
 * Job companyScoring's settings, {@code duckbatch.scoring.*}: the least score written, how
 * tasks score, udf mode's companies per statement, whether a run may be
 * incremental, and the codes file scored against
 * instead of the source's {@code rtic_codes} ({@link ScoringCodes}). Bound with the other settings (an
 * unknown name is refused), handed to the job as a bean of its own.
 */
public class ScoringSettings {

    /** The highest score: full keyword weight (0.6) plus SIC weight (0.4). */
    private static final double MAX_SCORE = 1.0;

    /** Least score a company needs to be written to rtic_scores. */
    private double threshold = 0.5;

    /** How each task scores: in Java from columnar pages, or inside DuckDB. */
    private Mode mode = Mode.CHUNK;

    /**
     * udf mode: companies per INSERT ... SELECT (one statement and commit each, about
     * 16 ms apart from the work, so ranges are far larger than chunk mode's pages).
     */
    private int rangeSize = 1_000_000;

    /** A CSV file of the codes to score against; none: the source's rtic_codes table. */
    private Path codes;

    /**
     * Score every company against every code even when the target holds a completed run
     * (which makes the run incremental: only what changed is scored, see {@link ScoringRefresh}).
     */
    private boolean fullRefresh;

    public enum Mode {

        /** Keyset reader (columnar pages), batch-transformer processor, vector writer. */
        CHUNK,

        /** The scorer as a DuckDB function; one INSERT ... SELECT per keyset range. */
        UDF

    }

    public Mode getMode() {
        return this.mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public int getRangeSize() {
        return this.rangeSize;
    }

    public void setRangeSize(int rangeSize) {
        if (rangeSize < 1) {
            throw new IllegalArgumentException("duckbatch.scoring.range-size must be at least 1, was " + rangeSize);
        }
        this.rangeSize = rangeSize;
    }

    public double getThreshold() {
        return this.threshold;
    }

    /** A score is 0.0 to 1.0: a threshold above 1.0 (or not a number) would write nothing, so it is refused. */
    public void setThreshold(double threshold) {
        if (!(threshold <= MAX_SCORE)) {
            throw new IllegalArgumentException("duckbatch.scoring.threshold must be at most " + MAX_SCORE
                    + " (scores run from 0.0 to " + MAX_SCORE + "), was " + threshold);
        }
        this.threshold = threshold;
    }

    /** The codes file, or {@code null} for the source's rtic_codes table; read when a run starts. */
    public Path getCodes() {
        return this.codes;
    }

    public void setCodes(Path codes) {
        this.codes = codes;
    }

    public boolean isFullRefresh() {
        return this.fullRefresh;
    }

    public void setFullRefresh(boolean fullRefresh) {
        this.fullRefresh = fullRefresh;
    }

}
