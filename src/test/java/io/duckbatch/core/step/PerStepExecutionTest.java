package io.duckbatch.core.step;

import java.util.ArrayList;
import java.util.List;

import io.duckbatch.core.process.BatchTransformerItemProcessor;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PerStepExecutionTest {

    /** Reads "<code>-1", "<code>-2" once opened. */
    static final class TwoItems implements ItemStreamReader<String> {

        private final String code;

        private int read = -1;

        private boolean closed;

        TwoItems(String code) {
            this.code = code;
        }

        @Override
        public void open(ExecutionContext context) {
            this.read = 0;
        }

        @Override
        public String read() {
            if (this.read < 0) {
                throw new IllegalStateException("read before open");
            }
            return (this.read < 2) ? this.code + "-" + (++this.read) : null;
        }

        @Override
        public void close() {
            this.closed = true;
        }

    }

    private static StepExecution step(long id, String code) {
        StepExecution step = new StepExecution(id, "score:" + code,
                new JobExecution(1L, new JobInstance(1L, "job"), new JobParameters()));
        step.getExecutionContext().putString("code", code);
        return step;
    }

    @Test
    void eachStepExecutionOnEachThreadGetsItsOwnComponent() throws Exception {
        ItemStreamReader<String> reader = PerStepExecution
            .reader(step -> new TwoItems(step.getExecutionContext().getString("code")));
        StepExecutionListener listener = (StepExecutionListener) reader;

        List<String> other = new ArrayList<>();
        Thread thread = new Thread(() -> {
            StepExecution b = step(2, "B");
            listener.beforeStep(b);
            reader.open(b.getExecutionContext());
            try {
                for (String item = reader.read(); item != null; item = reader.read()) {
                    other.add(item);
                }
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            listener.afterStep(b);
            reader.close();
        });
        StepExecution a = step(1, "A");
        listener.beforeStep(a);
        reader.open(a.getExecutionContext());
        assertThat(reader.read()).isEqualTo("A-1");
        thread.start();
        thread.join();
        assertThat(reader.read()).isEqualTo("A-2");
        assertThat(reader.read()).isNull();
        listener.afterStep(a);
        TwoItems component = (TwoItems) ((PerStepExecution.Holder<?>) reader).current();
        reader.close();

        assertThat(component.closed).as("the step's close() closes the component").isTrue();
        assertThat(other).containsExactly("B-1", "B-2");
        assertThatThrownBy(reader::read).hasMessageContaining("only usable inside its step");
    }

    @Test
    void forwardsTheComponentsOwnStepCallbacks() throws Exception {
        ItemProcessor<String, String> processor = PerStepExecution.processor(step -> BatchTransformerItemProcessor
            .<String, String>builder()
            .transformer(s -> item -> s.getExecutionContext().getString("code") + ":" + item)
            .build());
        ((StepExecutionListener) processor).beforeStep(step(3, "C"));
        // The processor's own beforeStep built its transformer, or process would fail.
        assertThat(processor.process("x")).isEqualTo("C:x");
    }

}
