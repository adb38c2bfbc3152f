package io.duckbatch.core.process;

/**
 * Rule 7: a transformer whose constructor pre-computes every loop invariant (lookup maps and
 * sets, compiled patterns, row templates) so that {@link #transform} does only per-row work.
 * Built once per step by {@link BatchTransformerItemProcessor}.
 *
 * @param <I> the item read
 * @param <O> the item written; {@code null} filters the item out
 */
@FunctionalInterface
public interface BatchTransformer<I, O> {

    O transform(I item) throws Exception;

}
