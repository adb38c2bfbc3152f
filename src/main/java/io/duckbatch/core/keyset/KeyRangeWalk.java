package io.duckbatch.core.keyset;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A share of a table cut into ranges of {@code size} rows needing work, walked in key order
 * (rules 3 and 11): DuckDB finds every range's last key at once when the walk is cut
 * ({@link KeysetQuery#ranges}), so each range is then one query bounded by two keys. Each
 * range starts after the key the one before it ended at. One walk serves one run of one
 * reader or tasklet on one thread.
 */
public final class KeyRangeWalk {

    private final List<KeysetQuery.Range> ranges;

    private final long rows;

    private int next;

    /** The key the next range starts after. */
    private Object after;

    private KeyRange range;

    private long rangeRows;

    private KeyRangeWalk(KeyRange share, List<KeysetQuery.Range> ranges) {
        this.ranges = ranges;
        this.rows = ranges.stream().mapToLong(KeysetQuery.Range::rows).sum();
        this.after = share.after();
    }

    /** The rows of {@code share} needing work, cut into ranges of {@code size} rows (the last one shorter). */
    public static KeyRangeWalk cut(Connection connection, KeysetQuery query, KeyRange share, int size) throws SQLException {
        return new KeyRangeWalk(share, query.ranges(connection, share, size));
    }

    /** Rows in all ranges of the walk, as DuckDB counted them when it was cut. */
    public long rows() {
        return this.rows;
    }

    /**
     * Moves on to the next range: {@link #range()} and {@link #rangeRows()} then describe it.
     * @return {@code false} when every range was walked
     */
    public boolean next() {
        if (this.next == this.ranges.size()) {
            return false;
        }
        KeysetQuery.Range cut = this.ranges.get(this.next++);
        this.range = new KeyRange(this.after, cut.upTo());
        this.after = cut.upTo();
        this.rangeRows = cut.rows();
        return true;
    }

    /**
     * The current range's keys: after the previous range's last key (the share's start for the
     * first); {@code null} before the first {@link #next()}.
     */
    public KeyRange range() {
        return this.range;
    }

    /** Rows of the current range needing work when the walk was cut. */
    public long rangeRows() {
        return this.rangeRows;
    }

    /**
     * The ExecutionContext key under which the reader or tasklet named {@code name} records the
     * rows its run has to read (for progress: {@code ProgressListener}).
     */
    public static String rowsToReadKey(String name) {
        return name + ".rowsToRead";
    }

}
