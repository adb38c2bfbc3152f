package io.duckbatch.core.process;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.duckbatch.core.timing.SimplerTimer;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchTransformerItemProcessorTest {

    /** Pre-computes a set once; filters words not in it. */
    static final class StopWords implements BatchTransformer<String, String> {

        private final Set<String> stop;

        StopWords(AtomicInteger built) {
            built.incrementAndGet();
            this.stop = Set.of("the", "a");
        }

        @Override
        public String transform(String item) {
            return this.stop.contains(item) ? null : item.toUpperCase();
        }

    }

    private static StepExecution step() {
        JobExecution job = new JobExecution(1L, new JobInstance(1L, "job"), new JobParameters());
        return new StepExecution(2L, "step", job);
    }

    @Test
    void buildsTheTransformerOncePerStepAndTimesIt() throws Exception {
        AtomicInteger built = new AtomicInteger();
        SimplerTimer timer = new SimplerTimer();
        BatchTransformerItemProcessor<String, String> processor = BatchTransformerItemProcessor.<String, String>builder()
            .transformer(step -> new StopWords(built))
            .timer(timer)
            .build();

        processor.beforeStep(step());
        assertThat(processor.process("the")).isNull();
        assertThat(processor.process("duck")).isEqualTo("DUCK");
        assertThat(processor.process("a")).isNull();

        assertThat(built).hasValue(1);
        assertThat(timer.snapshot()).extracting(SimplerTimer.PhaseStats::phase, SimplerTimer.PhaseStats::calls)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("prepare", 1L), org.assertj.core.groups.Tuple.tuple("process", 3L));
    }

    @Test
    void saysWhatIsWrongWhenMisused() {
        assertThatThrownBy(() -> BatchTransformerItemProcessor.<String, String>builder().build())
            .hasMessageContaining("needs transformer(");
        BatchTransformerItemProcessor<String, String> processor = BatchTransformerItemProcessor.<String, String>builder()
            .transformer(step -> item -> item)
            .build();
        assertThatThrownBy(() -> processor.process("x")).hasMessageContaining("used before beforeStep");
    }

}
