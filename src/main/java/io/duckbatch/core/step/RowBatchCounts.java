package io.duckbatch.core.step;

import java.util.Collection;

import org.springframework.batch.core.listener.ItemReadListener;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * For steps whose items are batches of rows (e.g. a data chunk of up to 2,048 rows read
 * column by column): Spring Batch counts one read per item and one write per item; this
 * listener makes the step's read and write counts count rows, so progress, the
 * {@code executions} table and the metrics say how many rows were read and written.
 * Items are batches because Spring Batch's per-item path (an observation, an event and the
 * listeners per item read and processed) costs more than reading and scoring a row.
 * <p>
 * Stateless: it adjusts the step execution of the calling thread, so one instance serves
 * every partition.
 */
public class RowBatchCounts implements ItemReadListener<Collection<?>>, ItemWriteListener<Collection<?>> {

    @Override
    public void afterRead(Collection<?> batch) {
        StepExecution step = currentStep();
        // Spring Batch adds the one read it counts for the item when the chunk ends.
        step.setReadCount(step.getReadCount() + batch.size() - 1);
    }

    @Override
    public void afterWrite(Chunk<? extends Collection<?>> batches) {
        long rows = 0;
        for (Collection<?> batch : batches) {
            rows += batch.size();
        }
        StepExecution step = currentStep();
        step.setWriteCount(step.getWriteCount() + rows - batches.size());
    }

    private static StepExecution currentStep() {
        StepContext context = StepSynchronizationManager.getContext();
        if (context == null) {
            throw new IllegalStateException("RowBatchCounts is a step listener: register it with the step");
        }
        return context.getStepExecution();
    }

}
