package io.duckbatch.core.timing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.batch.core.step.StepExecution;

/**
 * Hands every component of one step execution the same {@link SimplerTimer} as a plain
 * reference: a step-scoped timer bean would put a scope lookup behind every per-row
 * {@code track} call. {@link PhaseTimingListener} releases the timer when the step ends.
 */
public class StepTimers {

    private final Map<Long, SimplerTimer> timers = new ConcurrentHashMap<>();

    public SimplerTimer forStep(StepExecution stepExecution) {
        return this.timers.computeIfAbsent(stepExecution.getId(), id -> new SimplerTimer());
    }

    void release(StepExecution stepExecution) {
        this.timers.remove(stepExecution.getId());
    }

}
