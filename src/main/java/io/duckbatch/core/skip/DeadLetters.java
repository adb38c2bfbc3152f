package io.duckbatch.core.skip;

import java.util.List;
import java.util.function.Function;

import javax.sql.DataSource;

import org.springframework.batch.core.step.StepExecution;

/**
 * How a chunk step's bad rows are dead-lettered instead of failing the run: the target
 * database that holds the job's {@code <job>_rejects} ({@link RejectsTable}) and how to name
 * a row there, by its key, as read (a processor failure) and as written (a writer failure).
 * Given to a step recipe ({@code StepRecipes.ChunkRecipe#deadLetters}), which rejects rows
 * up to {@code duckbatch.skip-limit} per step execution ({@link StepRejects}).
 * <p>
 * {@link #of} is for steps whose items are rows; {@link #ofBatchRows} for steps whose items
 * are batches of rows: there a failing batch is taken apart and only its failing rows are
 * rejected.
 *
 * @param <I> the item read
 * @param <O> the item written
 */
public final class DeadLetters<I, O> {

    private final Function<StepExecution, ? extends DataSource> target;

    private final Function<Object, ?> readKey;

    private final Function<Object, ?> writtenKey;

    private final boolean batches;

    @SuppressWarnings("unchecked")
    private DeadLetters(Function<StepExecution, ? extends DataSource> target, Function<?, ?> readKey, Function<?, ?> writtenKey, boolean batches) {
        if (target == null || readKey == null || writtenKey == null) {
            throw new IllegalArgumentException("DeadLetters needs the target database and the key of a row read and of a"
                    + " row written, e.g. DeadLetters.of(targetDatabase, Company::number, Score::companyNumber)");
        }
        this.target = target;
        this.readKey = (Function<Object, ?>) readKey;
        this.writtenKey = (Function<Object, ?>) writtenKey;
        this.batches = batches;
    }

    /** Items are rows: a failing item is rejected under its key. */
    public static <I, O> DeadLetters<I, O> of(DataSource target, Function<? super I, ?> readKey,
            Function<? super O, ?> writtenKey) {
        return new DeadLetters<>(fixed(target), readKey, writtenKey, false);
    }

    /** Items are batches of rows (lists): a failing batch is taken apart, and its failing rows are rejected. */
    public static <R, S> DeadLetters<List<R>, List<S>> ofBatchRows(DataSource target, Function<? super R, ?> readKey,
            Function<? super S, ?> writtenKey) {
        return new DeadLetters<>(fixed(target), readKey, writtenKey, true);
    }

    /**
     * As {@link #ofBatchRows(DataSource, Function, Function)}, the rejects going to the
     * database each step execution writes to (a partition's shard in a distributed run).
     */
    public static <R, S> DeadLetters<List<R>, List<S>> ofBatchRows(Function<StepExecution, ? extends DataSource> target,
            Function<? super R, ?> readKey, Function<? super S, ?> writtenKey) {
        return new DeadLetters<>(target, readKey, writtenKey, true);
    }

    private static Function<StepExecution, DataSource> fixed(DataSource target) {
        return (target != null) ? execution -> target : null;
    }

    DataSource target(StepExecution execution) {
        return this.target.apply(execution);
    }

    /** The key of a row as read: an item, or a row of a batch. */
    String readKey(Object row) {
        return String.valueOf(this.readKey.apply(row));
    }

    /** The key of a row as written: an item, or a row of a batch. */
    String writtenKey(Object row) {
        return String.valueOf(this.writtenKey.apply(row));
    }

    public boolean batches() {
        return this.batches;
    }

}
