package io.duckbatch.core.step;

import java.util.function.Function;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * A fresh reader, processor or writer for every step execution, as {@code @StepScope}
 * gives, but without a scoped proxy on the per-item path: a step-scoped proxy looks its
 * target up in the bean factory and invokes it by reflection on every {@code read()} and
 * {@code process()}. Here the component is built in {@code beforeStep} from the step
 * execution and kept per thread (partitions of one step run on different threads), so each
 * item costs one ThreadLocal read. The component's own {@link StepExecutionListener} and
 * {@link ItemStream} callbacks are forwarded; it is closed and dropped when the step closes
 * its streams.
 */
public final class PerStepExecution {

    private PerStepExecution() {
    }

    public static <T> ItemStreamReader<T> reader(Function<StepExecution, ? extends ItemStreamReader<T>> factory) {
        return new Reader<>(factory);
    }

    public static <I, O> ItemProcessor<I, O> processor(Function<StepExecution, ? extends ItemProcessor<I, O>> factory) {
        return new Processor<>(factory);
    }

    public static <T> ItemStreamWriter<T> writer(Function<StepExecution, ? extends ItemStreamWriter<T>> factory) {
        return new Writer<>(factory);
    }

    /**
     * A tasklet per step execution; register the result as the step's tasklet, listener and
     * stream, so that it is built, opened and closed with each execution.
     */
    public static TaskletHolder tasklet(Function<StepExecution, ? extends Tasklet> factory) {
        return new TaskletHolder(factory);
    }

    /**
     * A step or chunk listener per step execution, for listeners whose state is the
     * execution's (its timer, its progress): register the result as the step's listener.
     */
    public static Listener listener(Function<StepExecution, ?> factory) {
        return new Listener(factory);
    }

    /** Holds the current thread's component between beforeStep and afterStep. */
    abstract static class Holder<C> implements StepExecutionListener, ItemStream {

        private final Function<StepExecution, ? extends C> factory;

        private final ThreadLocal<C> current = new ThreadLocal<>();

        Holder(Function<StepExecution, ? extends C> factory) {
            if (factory == null) {
                throw new IllegalArgumentException("PerStepExecution needs a factory: stepExecution -> component");
            }
            this.factory = factory;
        }

        final C current() {
            C component = this.current.get();
            if (component == null) {
                throw new IllegalStateException(
                        "No component for this thread: a PerStepExecution component is only usable inside its step");
            }
            return component;
        }

        @Override
        public void beforeStep(StepExecution stepExecution) {
            C component = this.factory.apply(stepExecution);
            this.current.set(component);
            if (component instanceof StepExecutionListener listener) {
                listener.beforeStep(stepExecution);
            }
        }

        @Override
        public ExitStatus afterStep(StepExecution stepExecution) {
            return (this.current.get() instanceof StepExecutionListener listener) ? listener.afterStep(stepExecution) : null;
        }

        @Override
        public void open(ExecutionContext executionContext) {
            if (current() instanceof ItemStream stream) {
                stream.open(executionContext);
            }
        }

        @Override
        public void update(ExecutionContext executionContext) {
            if (current() instanceof ItemStream stream) {
                stream.update(executionContext);
            }
        }

        /**
         * Spring Batch closes a step's streams after its afterStep listeners, and also when
         * open() failed: the component is let go here, last.
         */
        @Override
        public void close() {
            try {
                if (this.current.get() instanceof ItemStream stream) {
                    stream.close();
                }
            }
            finally {
                this.current.remove();
            }
        }

    }

    private static final class Reader<T> extends Holder<ItemStreamReader<T>> implements ItemStreamReader<T> {

        Reader(Function<StepExecution, ? extends ItemStreamReader<T>> factory) {
            super(factory);
        }

        @Override
        public T read() throws Exception {
            return current().read();
        }

    }

    private static final class Processor<I, O> extends Holder<ItemProcessor<I, O>> implements ItemProcessor<I, O> {

        Processor(Function<StepExecution, ? extends ItemProcessor<I, O>> factory) {
            super(factory);
        }

        @Override
        public O process(I item) throws Exception {
            return current().process(item);
        }

    }

    public static final class TaskletHolder extends Holder<Tasklet> implements Tasklet {

        TaskletHolder(Function<StepExecution, ? extends Tasklet> factory) {
            super(factory);
        }

        @Override
        public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
            return current().execute(contribution, chunkContext);
        }

    }

    /** Forwards step and chunk callbacks to the current thread's listener; lets it go after afterStep. */
    public static final class Listener extends Holder<Object> implements ChunkListener<Object, Object> {

        Listener(Function<StepExecution, ?> factory) {
            super(factory);
        }

        @Override
        public ExitStatus afterStep(StepExecution stepExecution) {
            try {
                return super.afterStep(stepExecution);
            }
            finally {
                close();
            }
        }

        @Override
        public void beforeChunk(Chunk<Object> chunk) {
            chunkListener().beforeChunk(chunk);
        }

        @Override
        public void afterChunk(Chunk<Object> chunk) {
            chunkListener().afterChunk(chunk);
        }

        @Override
        public void onChunkError(Exception exception, Chunk<Object> chunk) {
            chunkListener().onChunkError(exception, chunk);
        }

        @Override
        public void beforeChunk(ChunkContext context) {
            chunkListener().beforeChunk(context);
        }

        @Override
        public void afterChunk(ChunkContext context) {
            chunkListener().afterChunk(context);
        }

        @Override
        public void afterChunkError(ChunkContext context) {
            chunkListener().afterChunkError(context);
        }

        @SuppressWarnings("unchecked")
        private ChunkListener<Object, Object> chunkListener() {
            return (current() instanceof ChunkListener<?, ?> listener) ? (ChunkListener<Object, Object>) listener : NO_CHUNKS;
        }

        private static final ChunkListener<Object, Object> NO_CHUNKS = new ChunkListener<>() {
        };

    }

    private static final class Writer<T> extends Holder<ItemStreamWriter<T>> implements ItemStreamWriter<T> {

        Writer(Function<StepExecution, ? extends ItemStreamWriter<T>> factory) {
            super(factory);
        }

        @Override
        public void write(Chunk<? extends T> chunk) throws Exception {
            current().write(chunk);
        }

    }

}
