package io.duckbatch.core.skip;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.duckbatch.core.process.BatchTransformer;
import io.duckbatch.core.timing.ProgressMeters;
import io.micrometer.core.instrument.Counter;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.skip.LimitCheckingExceptionHierarchySkipPolicy;
import org.springframework.batch.core.step.skip.SkipLimitExceededException;
import org.springframework.batch.core.step.skip.SkipPolicy;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dead-lettering for one chunk step: a row that makes the transformer or the writer throw is
 * written to {@code <job>_rejects} ({@link RejectsTable}) and left out, up to {@code limit}
 * rejected keys per step execution (each partition counts its own); the next one fails the
 * step with a {@link TooManyRejectsException} naming the table and the setting.
 * <p>
 * The rule, by phase:
 * <ul>
 * <li>transformer, items are rows: the guarded transformer wraps the row's failure in a
 * {@link RejectedRowException}; Spring Batch's fault-tolerant step asks this skip policy
 * (its own {@link LimitCheckingExceptionHierarchySkipPolicy}, skipping nothing else: a reader
 * failure still fails the step), counts the process skip and calls
 * {@link #onSkipInProcess}, which writes the reject;</li>
 * <li>transformer, items are batches: a failing batch is transformed again row by row; the
 * rows that fail are rejected (same policy and count), the others' output is kept, so one bad
 * row never costs its batch. Nothing extra is done while no row fails;</li>
 * <li>writer: a chunk whose write fails (and was rolled back by the writer) is written again
 * in halves, and halves of halves, in order, down to one key's rows, which are rejected when
 * they fail alone. About 2 log2(n) writes per bad key instead of one per item, and Spring
 * Batch's own scan (one transaction per item) never runs. A key's rows (for batches: the
 * rows of one source row, e.g. one company's scores) are written whole or rejected whole.</li>
 * </ul>
 * Counts: Spring Batch's process and write skip counts of the step execution say how many
 * keys were rejected (shown by {@code executions}), and the counter
 * {@code duckbatch.step.rows.skipped} (tagged job and step) counts them as they happen.
 * <p>
 * Restart contract: a reject is committed when it is made, and a row rejected again replaces
 * its earlier reject, so restarts never duplicate one. Rows written by a failing chunk's
 * pieces before the row that went over the limit stay committed, in key order: the step
 * must resume from its destination ({@code DestinationCheckpoint}) or write idempotently
 * (an update), as every duckbatch chunk step does; then a restart writes every good row
 * exactly once and re-reads, re-rejects or writes the rest.
 */
public final class StepRejects<I, O> implements SkipPolicy, SkipListener<I, O>, StepExecutionListener {

    /** The setting that sets the limit, named in messages. */
    public static final String LIMIT_SETTING = "duckbatch.skip-limit";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DeadLetters<I, O> letters;

    private final long limit;

    private final SkipPolicy limitPolicy;

    private final ProgressMeters meters;

    private final ThreadLocal<Run> current = new ThreadLocal<>();

    public StepRejects(DeadLetters<I, O> letters, long limit, ProgressMeters meters) {
        if (limit < 1) {
            throw new IllegalArgumentException("StepRejects needs a limit of at least 1 (0 rejects nothing), was " + limit);
        }
        this.letters = letters;
        this.limit = limit;
        this.limitPolicy = new LimitCheckingExceptionHierarchySkipPolicy(Set.of(RejectedRowException.class), limit);
        this.meters = meters;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        String job = stepExecution.getJobExecution().getJobInstance().getJobName();
        RejectsTable table = new RejectsTable(this.letters.target(stepExecution), job);
        table.create();
        this.current.set(new Run(stepExecution, table, this.meters.skipped(job, stepExecution.getStepName())));
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        this.current.remove();
        return null;
    }

    /** Spring Batch's limit-checking policy over {@link RejectedRowException}s; over the limit, a message that says what to do. */
    @Override
    public boolean shouldSkip(Throwable failure, long skipCount) {
        try {
            return this.limitPolicy.shouldSkip(failure, skipCount);
        }
        catch (SkipLimitExceededException ex) {
            throw run().tooMany(rowFailure(failure));
        }
    }

    /** A row item the transformer failed on, skipped by Spring Batch (which counted it). */
    @Override
    public void onSkipInProcess(I item, Throwable failure) {
        run().record("process", this.letters.readKey(item), item, rowFailure(failure));
    }

    /** The transformer, guarded: for rows, a row's failure marked as the row's; for batches, failing rows rejected. */
    public BatchTransformer<I, O> guard(BatchTransformer<I, O> transformer) {
        if (!this.letters.batches()) {
            return item -> {
                try {
                    return transformer.transform(item);
                }
                catch (Exception ex) {
                    throw new RejectedRowException(ex);
                }
            };
        }
        return batch -> {
            try {
                return transformer.transform(batch);
            }
            catch (Exception ex) {
                return transformRowByRow(transformer, batch);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private O transformRowByRow(BatchTransformer<I, O> transformer, I batch) {
        List<Object> output = new ArrayList<>();
        Run run = run();
        for (Object row : (List<?>) batch) {
            try {
                O rowOutput = transformer.transform((I) List.of(row));
                if (rowOutput != null) {
                    output.addAll((List<?>) rowOutput);
                }
            }
            catch (Exception ex) {
                run.reject("process", this.letters.readKey(row), row, ex);
            }
        }
        return output.isEmpty() ? null : (O) output;
    }

    /** The writer, guarded: a failing chunk is written in pieces and its failing keys rejected. */
    public ItemStreamWriter<O> guard(ItemStreamWriter<O> writer) {
        return new IsolatingWriter(writer);
    }

    private Run run() {
        Run run = this.current.get();
        if (run == null) {
            throw new IllegalStateException("StepRejects used outside its step: register it as the step's listener");
        }
        return run;
    }

    private static Throwable rowFailure(Throwable failure) {
        return (failure instanceof RejectedRowException rejected) ? rejected.getCause() : failure;
    }

    /** One step execution's rejects, on its thread. */
    private final class Run {

        private final StepExecution execution;

        private final RejectsTable table;

        private final Counter counter;

        /** Keys rejected by this step execution: the skip count the limit is checked against. */
        private long rejected;

        Run(StepExecution execution, RejectsTable table, Counter counter) {
            this.execution = execution;
            this.table = table;
            this.counter = counter;
        }

        /** A reject Spring Batch did not see: checked against the limit and counted here. */
        void reject(String phase, String key, Object row, Exception failure) {
            shouldSkip(new RejectedRowException(failure), this.rejected);
            record(phase, key, row, failure);
            if (phase.equals("process")) {
                this.execution.setProcessSkipCount(this.execution.getProcessSkipCount() + 1);
            }
            else {
                this.execution.setWriteSkipCount(this.execution.getWriteSkipCount() + 1);
            }
        }

        void record(String phase, String key, Object row, Throwable failure) {
            this.table.insert(this.execution.getStepName(), key, phase, failure, json(row), this.execution.getJobExecutionId());
            this.rejected++;
            this.counter.increment();
        }

        TooManyRejectsException tooMany(Throwable failure) {
            return new TooManyRejectsException("Step " + this.execution.getStepName() + " rejected " + this.rejected
                    + " rows, the limit (" + LIMIT_SETTING + "=" + StepRejects.this.limit + "), and one more failed: "
                    + failure + ". The rejected rows, with the reason of each, are in table " + this.table.table()
                    + " of the target database. Fix those rows or the code that fails on them, or raise --"
                    + LIMIT_SETTING + "; then run the same command again: the step resumes where it stopped.", failure);
        }

    }

    private static String json(Object row) {
        try {
            return JSON.writeValueAsString(row);
        }
        catch (JacksonException ex) {
            return JSON.writeValueAsString(String.valueOf(row));
        }
    }

    /** Writes chunks through the delegate; isolates and rejects the failing keys of a chunk that fails. */
    private final class IsolatingWriter implements ItemStreamWriter<O> {

        private final ItemStreamWriter<O> delegate;

        IsolatingWriter(ItemStreamWriter<O> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(Chunk<? extends O> chunk) throws Exception {
            try {
                this.delegate.write(chunk);
            }
            catch (Exception failure) {
                isolate(chunk, failure);
            }
        }

        @SuppressWarnings("unchecked")
        private void isolate(Chunk<? extends O> chunk, Exception failure) throws Exception {
            List<List<Object>> keys = rowsByKey(chunk);
            List<Object> written = new ArrayList<>();
            try {
                split(keys, 0, keys.size(), failure, written);
            }
            catch (TooManyRejectsException ex) {
                // The pieces written before stay committed, but Spring Batch counts no write of a failed chunk.
                run().execution.setWriteCount(run().execution.getWriteCount() + written.size());
                throw ex;
            }
            // What Spring Batch counts as written and hands to the write listeners: the rows written.
            Chunk<O> items = (Chunk<O>) chunk;
            items.clear();
            chunkOf(written).forEach(items::add);
        }

        /** Keys [from, to) failed together with {@code failure}: reject a single key, else try each half. */
        private void split(List<List<Object>> keys, int from, int to, Exception failure, List<Object> written)
                throws Exception {
            if (to - from == 1) {
                List<Object> rows = keys.get(from);
                Object row = (rows.size() == 1) ? rows.get(0) : rows;
                run().reject("write", StepRejects.this.letters.writtenKey(rows.get(0)), row, failure);
                return;
            }
            int middle = (from + to) >>> 1;
            attempt(keys, from, middle, written);
            attempt(keys, middle, to, written);
        }

        private void attempt(List<List<Object>> keys, int from, int to, List<Object> written) throws Exception {
            List<Object> rows = new ArrayList<>();
            keys.subList(from, to).forEach(rows::addAll);
            try {
                this.delegate.write(chunkOf(rows));
                written.addAll(rows);
            }
            catch (Exception failure) {
                split(keys, from, to, failure, written);
            }
        }

        /** The chunk's rows, consecutive rows of one key together. */
        private List<List<Object>> rowsByKey(Chunk<? extends O> chunk) {
            List<List<Object>> keys = new ArrayList<>();
            Object lastKey = null;
            for (O item : chunk) {
                for (Object row : StepRejects.this.letters.batches() ? (List<?>) item : List.of(item)) {
                    String key = StepRejects.this.letters.writtenKey(row);
                    if (keys.isEmpty() || !Objects.equals(key, lastKey)) {
                        keys.add(new ArrayList<>());
                        lastKey = key;
                    }
                    keys.get(keys.size() - 1).add(row);
                }
            }
            return keys;
        }

        @SuppressWarnings("unchecked")
        private Chunk<O> chunkOf(List<Object> rows) {
            return StepRejects.this.letters.batches() ? new Chunk<>((O) rows) : new Chunk<>((List<O>) rows);
        }

        @Override
        public void open(ExecutionContext executionContext) {
            this.delegate.open(executionContext);
        }

        @Override
        public void update(ExecutionContext executionContext) {
            this.delegate.update(executionContext);
        }

        @Override
        public void close() {
            this.delegate.close();
        }

    }

}
