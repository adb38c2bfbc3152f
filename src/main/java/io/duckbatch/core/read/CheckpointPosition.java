package io.duckbatch.core.read;

import java.sql.SQLException;

import io.duckbatch.core.resume.DestinationCheckpoint;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Rule 11, intra-task: a reader's position is the destination's {@code MAX(key)} of its task
 * ({@link DestinationCheckpoint}), never the ExecutionContext, which records only that the
 * task started ({@code <name>.checkpoint.started}).
 * <p>
 * Restart contract: a fresh task first deletes its earlier rows from the destination and
 * reads its whole share; a restarted task reads the keys after the greatest its destination
 * holds. Every row of a source key must commit in the same transaction as the key's chunk,
 * and keys must be written in key order: then every key up to that one is done and none is
 * read twice. Nothing is recorded per chunk.
 */
final class CheckpointPosition implements StartPosition {

    private final String name;

    private final DestinationCheckpoint checkpoint;

    /** @param name the reader's: names the context's record that its task started */
    CheckpointPosition(String name, DestinationCheckpoint checkpoint) {
        this.name = name;
        this.checkpoint = checkpoint;
    }

    @Override
    public Start open(ExecutionContext context) throws SQLException {
        Object lastKey = this.checkpoint.open(this.name, context);
        return (lastKey != null) ? new Start(lastKey, 0) : Start.FIRST_ROW;
    }

    @Override
    public void save(ExecutionContext context, Object pageAfter, int handedOut) {
        // The destination, committed with each chunk, is the position.
    }

}
