package io.duckbatch.core.write;

import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Writes items that each stand for several rows (e.g. a company and its scores for every
 * code) as one chunk of rows through the delegate, so all rows of a chunk's items share
 * the delegate's one transaction: a source row's output is written whole or not at all,
 * which is what lets a task resume after the destination's {@code MAX(key)}.
 */
public class FlatteningItemWriter<R> implements ItemStreamWriter<List<R>> {

    private final ItemStreamWriter<R> delegate;

    public FlatteningItemWriter(ItemStreamWriter<R> delegate) {
        if (delegate == null) {
            throw new IllegalStateException("FlatteningItemWriter needs the writer of the rows");
        }
        this.delegate = delegate;
    }

    @Override
    public void write(Chunk<? extends List<R>> items) throws Exception {
        int rows = 0;
        for (List<R> item : items) {
            rows += item.size();
        }
        List<R> flat = new ArrayList<>(rows);
        for (List<R> item : items) {
            flat.addAll(item);
        }
        this.delegate.write(new Chunk<>(flat));
    }

    @Override
    public void open(ExecutionContext executionContext) throws ItemStreamException {
        this.delegate.open(executionContext);
    }

    @Override
    public void update(ExecutionContext executionContext) throws ItemStreamException {
        this.delegate.update(executionContext);
    }

    @Override
    public void close() throws ItemStreamException {
        this.delegate.close();
    }

}
