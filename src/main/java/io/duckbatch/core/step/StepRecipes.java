package io.duckbatch.core.step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.duckbatch.core.process.BatchTransformer;
import io.duckbatch.core.process.BatchTransformerItemProcessor;
import io.duckbatch.core.remote.PartitionProgress;
import io.duckbatch.core.remote.PartitionRequests;
import io.duckbatch.core.remote.RemotePartitionHandler;
import io.duckbatch.core.resume.ExecutionOwnerRegistry;
import io.duckbatch.core.skip.DeadLetters;
import io.duckbatch.core.skip.StepRejects;
import io.duckbatch.core.timing.PhaseMeters;
import io.duckbatch.core.timing.PhaseTimingListener;
import io.duckbatch.core.timing.ProgressListener;
import io.duckbatch.core.timing.ProgressMeters;
import io.duckbatch.core.timing.StepTimers;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.ChunkOrientedStepBuilder;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.builder.TaskletStepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.core.task.TaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The one way a duckbatch step is built, so that a job configuration says only what makes
 * its steps different. A chunk step takes per-step-execution factories for its reader,
 * {@link BatchTransformer} (rules 6, 7) and writer; a tasklet step a factory for its
 * tasklet. Every factory gets a {@link StepRun}: the step execution (a partition's range,
 * restart state) and the timer all components of that execution report phases to. The
 * recipe builds the components per step execution and thread ({@link PerStepExecution}, no
 * scoped proxy on the per-item path), and registers the phase table (rule 12) and, when
 * asked, progress. Check steps run on every run, restarts included; partitioned steps run
 * {@code concurrency} tasks at a time.
 */
public final class StepRecipes {

    private static final RowBatchCounts ROW_BATCH_COUNTS = new RowBatchCounts();

    private final JobRepository jobRepository;

    private final PlatformTransactionManager transactionManager;

    private final StepTimers timers;

    private final PhaseMeters phaseMeters;

    private final ProgressMeters progressMeters;

    private final Defaults defaults;

    private final TaskExecutor taskExecutor;

    /** Where partitions run when not in this process: null in one process. */
    private final Remote remote;

    /**
     * What every step of the application shares: its chunk size unless a step sets one, the
     * rows per keyset page its readers ask for, the tasks run at once, the least time
     * between two progress lines, and the rows a step with dead letters may reject before it
     * fails ({@code duckbatch.skip-limit}; 0: none, the first bad row fails the step).
     */
    public record Defaults(int chunkSize, int pageSize, int concurrency, Duration progressInterval, long skipLimit) {

        public Defaults {
            requireAtLeastOne("chunk size", chunkSize);
            requireAtLeastOne("page size", pageSize);
            requireAtLeastOne("concurrency", concurrency);
            if (progressInterval == null || progressInterval.isNegative()) {
                throw new IllegalArgumentException("StepRecipes needs a progress interval of zero or more, was " + progressInterval);
            }
            if (skipLimit < 0) {
                throw new IllegalArgumentException("StepRecipes needs a skip limit of zero or more, was " + skipLimit);
            }
        }

        /** No step rejects a row: the first bad row fails its step. */
        public Defaults(int chunkSize, int pageSize, int concurrency, Duration progressInterval) {
            this(chunkSize, pageSize, concurrency, progressInterval, 0);
        }

    }

    public StepRecipes(JobRepository jobRepository, PlatformTransactionManager transactionManager, StepTimers timers,
            PhaseMeters phaseMeters, ProgressMeters progressMeters, TaskExecutor taskExecutor, Defaults defaults) {
        this(jobRepository, transactionManager, timers, phaseMeters, progressMeters, taskExecutor, defaults, null);
    }

    private StepRecipes(JobRepository jobRepository, PlatformTransactionManager transactionManager, StepTimers timers,
            PhaseMeters phaseMeters, ProgressMeters progressMeters, TaskExecutor taskExecutor, Defaults defaults,
            Remote remote) {
        this.remote = remote;
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.timers = timers;
        this.phaseMeters = phaseMeters;
        this.progressMeters = progressMeters;
        this.taskExecutor = taskExecutor;
        this.defaults = defaults;
    }

    /**
     * These recipes, but {@link #partitioned} steps send their partitions to remote workers
     * through {@code requests} ({@link PartitionRequests}) and poll the job repository every
     * {@code pollInterval} for their outcome, instead of running them on this process's
     * threads; a partition whose worker is gone ({@code owners}) runs again, up to
     * {@code maxAttempts} attempts ({@link RemotePartitionHandler}).
     */
    public StepRecipes withRemotePartitions(PartitionRequests requests, ExecutionOwnerRegistry owners, Duration pollInterval,
            int maxAttempts) {
        return new StepRecipes(this.jobRepository, this.transactionManager, this.timers, this.phaseMeters,
                this.progressMeters, this.taskExecutor, this.defaults, new Remote(requests, owners, pollInterval, maxAttempts));
    }

    /** Whether partitions run on remote workers ({@link #withRemotePartitions}). */
    public boolean partitionsRunRemotely() {
        return this.remote != null;
    }

    public Defaults defaults() {
        return this.defaults;
    }

    /** A chunk step of the default chunk size. */
    public <I, O> ChunkRecipe<I, O> chunk(String name) {
        return chunk(name, this.defaults.chunkSize());
    }

    /** A chunk step of {@code chunkSize} items per transaction. */
    public <I, O> ChunkRecipe<I, O> chunk(String name, int chunkSize) {
        requireAtLeastOne("chunk size of step " + name, chunkSize);
        return new ChunkRecipe<>(name, chunkSize);
    }

    /** A step that runs one tasklet, built per step execution. */
    public TaskletRecipe tasklet(String name, Function<StepRun, ? extends Tasklet> factory) {
        return new TaskletRecipe(name, factory);
    }

    /**
     * A step that checks the job's inputs before anything is written: it runs on every run,
     * restarts included, since the inputs may have changed since the last one.
     */
    public Step check(String name, Tasklet check) {
        return new StepBuilder(name, this.jobRepository).tasklet(check, this.transactionManager)
            .allowStartIfComplete(true)
            .build();
    }

    /**
     * {@code worker} once per partition of {@code partitioner}, {@code concurrency} at a
     * time, in {@code tasksPerThread} times as many partitions as threads (so that the last
     * wave is short); on restart only the unfinished partitions run. With
     * {@link #withRemotePartitions} the partitions are requests to the workers instead (the
     * grid size the same: set the concurrency to the workers' slots in all), and the step
     * waits until the job repository shows them all ended.
     */
    public Step partitioned(String name, Partitioner partitioner, Step worker, int tasksPerThread) {
        requireAtLeastOne("tasks per thread of step " + name, tasksPerThread);
        int gridSize = this.defaults.concurrency() * tasksPerThread;
        if (this.remote != null) {
            RemotePartitionHandler handler = new RemotePartitionHandler(worker.getName(), this.remote.requests(),
                    this.jobRepository, this.remote.owners(), this.remote.pollInterval(), this.remote.maxAttempts(),
                    () -> new PartitionProgress(this.progressMeters, this.defaults.progressInterval()));
            handler.setGridSize(gridSize);
            return new StepBuilder(name, this.jobRepository).partitioner(worker.getName(), partitioner)
                .partitionHandler(handler)
                .build();
        }
        return new StepBuilder(name, this.jobRepository).partitioner(worker.getName(), partitioner)
            .step(worker)
            .taskExecutor(this.taskExecutor)
            .gridSize(gridSize)
            .build();
    }

    private record Remote(PartitionRequests requests, ExecutionOwnerRegistry owners, Duration pollInterval, int maxAttempts) {
    }

    private StepRun run(StepExecution execution) {
        return new StepRun(execution, this.timers.forStep(execution));
    }

    private PerStepExecution.Listener phaseTiming() {
        return PerStepExecution.listener(execution -> new PhaseTimingListener(this.timers, this.phaseMeters));
    }

    private PerStepExecution.Listener progressListener(String rowsToReadKey) {
        Duration interval = this.defaults.progressInterval();
        return PerStepExecution.listener(execution -> new ProgressListener(rowsToReadKey, interval, this.progressMeters));
    }

    private static void requireAtLeastOne(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("StepRecipes needs a " + what + " of at least 1, was " + value);
        }
    }

    /** A chunk step: reader, transformer and writer factories, then {@link #build()}. */
    public final class ChunkRecipe<I, O> {

        private final String name;

        private final int chunkSize;

        private Function<StepRun, ? extends ItemStreamReader<I>> reader;

        private Function<StepRun, ? extends BatchTransformer<I, O>> transformer;

        private Function<StepRun, ? extends ItemStreamWriter<O>> writer;

        private String rowsToReadKey;

        private boolean itemsAreBatches;

        private DeadLetters<I, O> deadLetters;

        private final List<StepExecutionListener> listeners = new ArrayList<>();

        private ChunkRecipe(String name, int chunkSize) {
            this.name = name;
            this.chunkSize = chunkSize;
        }

        public ChunkRecipe<I, O> reader(Function<StepRun, ? extends ItemStreamReader<I>> reader) {
            this.reader = reader;
            return this;
        }

        /** Built once per step execution, before the first item (timed as phase {@code prepare}). */
        public ChunkRecipe<I, O> transformer(Function<StepRun, ? extends BatchTransformer<I, O>> transformer) {
            this.transformer = transformer;
            return this;
        }

        public ChunkRecipe<I, O> writer(Function<StepRun, ? extends ItemStreamWriter<O>> writer) {
            this.writer = writer;
            return this;
        }

        /**
         * Progress lines and gauges, against the rows to read the reader records under
         * {@code rowsToReadKey} in the step's ExecutionContext.
         */
        public ChunkRecipe<I, O> progress(String rowsToReadKey) {
            this.rowsToReadKey = rowsToReadKey;
            return this;
        }

        /** Items are collections of rows: the step's read and write counts count the rows ({@link RowBatchCounts}). */
        public ChunkRecipe<I, O> itemsAreBatches() {
            this.itemsAreBatches = true;
            return this;
        }

        /**
         * Rows that make the transformer or the writer throw go to the job's dead-letter table
         * {@code <job>_rejects} in {@code letters}' target instead of failing the step, up to
         * the skip limit of the defaults ({@code duckbatch.skip-limit}) per step execution;
         * the rule and the restart contract are {@link StepRejects}'. With a limit of 0 the
         * step is built as without dead letters.
         */
        public ChunkRecipe<I, O> deadLetters(DeadLetters<I, O> letters) {
            this.deadLetters = letters;
            return this;
        }

        /** A listener of this step's own, e.g. one that prepares the destination before the writer opens. */
        public ChunkRecipe<I, O> listener(StepExecutionListener listener) {
            this.listeners.add(listener);
            return this;
        }

        public Step build() {
            if (this.reader == null || this.transformer == null || this.writer == null) {
                throw new IllegalStateException("Step " + this.name + " needs reader(run -> ...), transformer(run -> ...)"
                        + " and writer(run -> ...)");
            }
            StepRejects<I, O> rejects = rejects();
            Function<StepRun, ? extends BatchTransformer<I, O>> transformer = (rejects == null) ? this.transformer
                    : run -> rejects.guard(this.transformer.apply(run));
            Function<StepRun, ? extends ItemStreamWriter<O>> writer = (rejects == null) ? this.writer
                    : run -> rejects.guard(this.writer.apply(run));
            ChunkOrientedStepBuilder<I, O> step = new StepBuilder(this.name, StepRecipes.this.jobRepository)
                .<I, O>chunk(this.chunkSize)
                .transactionManager(StepRecipes.this.transactionManager)
                .reader(PerStepExecution.reader(execution -> this.reader.apply(run(execution))))
                .processor(PerStepExecution.processor(execution -> {
                    StepRun run = run(execution);
                    return BatchTransformerItemProcessor.<I, O>builder()
                        .transformer(sameExecution -> transformer.apply(run))
                        .timer(run.timer())
                        .build();
                }))
                .writer(PerStepExecution.writer(execution -> writer.apply(run(execution))))
                .listener(phaseTiming());
            if (rejects != null) {
                step.faultTolerant().skipPolicy(rejects).listener((StepListener) rejects);
            }
            if (this.rowsToReadKey != null) {
                step.listener(progressListener(this.rowsToReadKey));
            }
            if (this.itemsAreBatches) {
                step.listener((StepListener) ROW_BATCH_COUNTS);
            }
            this.listeners.forEach(step::listener);
            return step.build();
        }

        private StepRejects<I, O> rejects() {
            if (this.deadLetters == null || StepRecipes.this.defaults.skipLimit() == 0) {
                return null;
            }
            if (this.deadLetters.batches() != this.itemsAreBatches) {
                throw new IllegalStateException("Step " + this.name + ": dead letters of batch rows"
                        + " (DeadLetters.ofBatchRows) go with itemsAreBatches(), dead letters of rows (DeadLetters.of) without");
            }
            return new StepRejects<>(this.deadLetters, StepRecipes.this.defaults.skipLimit(), StepRecipes.this.progressMeters);
        }

    }

    /** A tasklet step: the tasklet factory, then {@link #build()}. Each tasklet call is a chunk to the listeners. */
    public final class TaskletRecipe {

        private final String name;

        private final Function<StepRun, ? extends Tasklet> factory;

        private String rowsToReadKey;

        private final List<StepExecutionListener> listeners = new ArrayList<>();

        private TaskletRecipe(String name, Function<StepRun, ? extends Tasklet> factory) {
            if (factory == null) {
                throw new IllegalArgumentException("Step " + name + " needs a tasklet factory: run -> tasklet");
            }
            this.name = name;
            this.factory = factory;
        }

        /** Progress against the rows to read the tasklet records under {@code rowsToReadKey}. */
        public TaskletRecipe progress(String rowsToReadKey) {
            this.rowsToReadKey = rowsToReadKey;
            return this;
        }

        /** A listener of this step's own, e.g. one that closes what the tasklet wrote to. */
        public TaskletRecipe listener(StepExecutionListener listener) {
            this.listeners.add(listener);
            return this;
        }

        public Step build() {
            PerStepExecution.TaskletHolder tasklet = PerStepExecution.tasklet(execution -> this.factory.apply(run(execution)));
            TaskletStepBuilder step = new StepBuilder(this.name, StepRecipes.this.jobRepository)
                .tasklet(tasklet, StepRecipes.this.transactionManager);
            step.listener((StepExecutionListener) tasklet).stream(tasklet);
            listen(step, phaseTiming());
            if (this.rowsToReadKey != null) {
                listen(step, progressListener(this.rowsToReadKey));
            }
            step.listener(skippedRowsMeter());
            this.listeners.forEach(step::listener);
            return step.build();
        }

        /**
         * Rows a tasklet set aside itself (an import's rejected lines, counted as read skips)
         * into the skipped-rows counter when its step ends, as a chunk step's dead letters are.
         */
        private StepExecutionListener skippedRowsMeter() {
            return new StepExecutionListener() {

                @Override
                public ExitStatus afterStep(StepExecution execution) {
                    if (execution.getSkipCount() > 0) {
                        StepRecipes.this.progressMeters
                            .skipped(execution.getJobExecution().getJobInstance().getJobName(), execution.getStepName())
                            .increment(execution.getSkipCount());
                    }
                    return null;
                }

            };
        }

        private static void listen(TaskletStepBuilder step, PerStepExecution.Listener listener) {
            step.listener((StepExecutionListener) listener);
            step.listener((ChunkListener<?, ?>) listener);
        }

    }

}
