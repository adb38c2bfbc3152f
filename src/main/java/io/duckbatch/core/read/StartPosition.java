package io.duckbatch.core.read;

import java.sql.SQLException;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Where a run of a {@link KeysetItemReader} starts in its share of the table, and what it
 * records at each chunk commit so that a restart knows: {@link SavedPosition} (the
 * ExecutionContext is the truth) or {@link CheckpointPosition} (the destination is).
 */
interface StartPosition {

    /**
     * Where this run starts, read from (or, on a fresh start, recorded in) {@code context}.
     */
    Start open(ExecutionContext context) throws SQLException;

    /**
     * Records how far the reader got: {@code handedOut} rows of the page of keys after
     * {@code pageAfter} ({@code null}: the share's first page). Called as Spring Batch saves the
     * context, with each chunk commit; allocates nothing.
     */
    void save(ExecutionContext context, Object pageAfter, int handedOut);

    /**
     * @param after the key to read after, or {@code null} for the start of the share
     * @param skip rows of the first page already handed out by an earlier run
     */
    record Start(Object after, int skip) {

        static final Start FIRST_ROW = new Start(null, 0);

    }

}
