package io.duckbatch.core.read;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * A reader's position kept in its step's ExecutionContext: {@code <name>.pageStartKey}, the
 * key the current page starts after (absent for the share's first page), and
 * {@code <name>.pageIndex}, how many of its rows were handed out. Spring Batch saves them with
 * each chunk commit.
 * <p>
 * Restart contract: a restarted reader cuts its pages again after {@code pageStartKey},
 * reads the first of them again and skips its first {@code pageIndex} rows, so it goes on
 * with the row after the last one of the last committed chunk. That holds while the rows
 * needing work after that key are the ones the failed run saw: the job must not change the
 * table the reader reads (nor what its work predicate selects) in between. A job writing the
 * rows it reads, or writing elsewhere per task, resumes by a {@link CheckpointPosition}.
 */
final class SavedPosition implements StartPosition {

    private final String pageStartKey;

    private final String pageIndex;

    SavedPosition(String name) {
        this.pageStartKey = name + ".pageStartKey";
        this.pageIndex = name + ".pageIndex";
    }

    @Override
    public Start open(ExecutionContext context) {
        return new Start(context.get(this.pageStartKey), context.getInt(this.pageIndex, 0));
    }

    @Override
    public void save(ExecutionContext context, Object pageAfter, int handedOut) {
        if (pageAfter != null) {
            context.put(this.pageStartKey, pageAfter);
        }
        else {
            context.remove(this.pageStartKey);
        }
        context.putInt(this.pageIndex, handedOut);
    }

}
