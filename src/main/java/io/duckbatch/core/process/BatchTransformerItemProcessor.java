package io.duckbatch.core.process;

import java.util.function.Function;

import io.duckbatch.core.timing.SimplerTimer;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Rules 6 and 7 as an {@link ItemProcessor}: builds its {@link BatchTransformer} once, before
 * the step reads its first item (timed as phase {@code prepare}), then hands every item to
 * it (phase {@code process}). The factory receives the step execution so the transformer can
 * depend on the task (e.g. a partition's parameters). Spring Batch registers the processor
 * as a step listener itself when it is given to a chunk step.
 * <p>
 * One processor may serve several step executions at once: the partitions of a partitioned
 * step, each run on its own thread from its beforeStep to its afterStep. The transformer is
 * therefore kept per thread, as {@link io.duckbatch.core.step.PerStepExecution} keeps its
 * components: each item costs one ThreadLocal read.
 */
public class BatchTransformerItemProcessor<I, O> implements ItemProcessor<I, O>, StepExecutionListener {

    private final Function<StepExecution, ? extends BatchTransformer<I, O>> factory;

    private final SimplerTimer timer;

    /** The transformer of the step execution running on this thread, between beforeStep and afterStep. */
    private final ThreadLocal<BatchTransformer<I, O>> transformer = new ThreadLocal<>();

    private BatchTransformerItemProcessor(Builder<I, O> builder) {
        this.factory = builder.factory;
        this.timer = (builder.timer != null) ? builder.timer : new SimplerTimer();
    }

    public static <I, O> Builder<I, O> builder() {
        return new Builder<>();
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        BatchTransformer<I, O> built;
        try (var t = this.timer.track("prepare")) {
            built = this.factory.apply(stepExecution);
        }
        if (built == null) {
            throw new IllegalStateException("BatchTransformer factory returned null for step " + stepExecution.getStepName());
        }
        this.transformer.set(built);
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        this.transformer.remove();
        return null;
    }

    @Override
    public O process(I item) throws Exception {
        BatchTransformer<I, O> current = this.transformer.get();
        if (current == null) {
            throw new IllegalStateException("BatchTransformerItemProcessor used before beforeStep, or on another thread than"
                    + " its step: register it with a step (processor(...) does)");
        }
        try (var t = this.timer.track("process")) {
            return current.transform(item);
        }
    }

    public static final class Builder<I, O> {

        private Function<StepExecution, ? extends BatchTransformer<I, O>> factory;

        private SimplerTimer timer;

        private Builder() {
        }

        /** Builds the transformer for a step; called once per step execution. */
        public Builder<I, O> transformer(Function<StepExecution, ? extends BatchTransformer<I, O>> factory) {
            this.factory = factory;
            return this;
        }

        public Builder<I, O> timer(SimplerTimer timer) {
            this.timer = timer;
            return this;
        }

        public BatchTransformerItemProcessor<I, O> build() {
            if (this.factory == null) {
                throw new IllegalStateException(
                        "BatchTransformerItemProcessor needs transformer(stepExecution -> new YourTransformer(...))");
            }
            return new BatchTransformerItemProcessor<>(this);
        }

    }

}
