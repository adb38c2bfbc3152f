package io.duckbatch.core.timing;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ProgressListenerTest {

    private static final String ROWS_TO_READ = "reader.rowsToRead";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static StepExecution step(String name, long rowsToRead) {
        JobExecution job = new JobExecution(1L, new JobInstance(1L, "scoring"), new JobParameters());
        StepExecution step = new StepExecution(1L, name, job);
        step.getExecutionContext().putLong(ROWS_TO_READ, rowsToRead);
        return step;
    }

    private double gauge(String name, String step) {
        return this.registry.get(name).tags(PhaseMeters.JOB_TAG, "scoring", PhaseMeters.STEP_TAG, step).gauge().value();
    }

    @Test
    void printsRowsPercentRateAndEtaAndUpdatesTheGauges(CapturedOutput output) throws Exception {
        ProgressListener listener = new ProgressListener(ROWS_TO_READ, Duration.ZERO, new ProgressMeters(this.registry));
        StepExecution step = step("scoreRticCode:R1", 4000);
        listener.beforeStep(step);
        assertThat(gauge(ProgressMeters.ROWS_DONE, "scoreRticCode:R1")).isZero();

        Thread.sleep(20);
        step.setReadCount(1000);
        listener.afterChunk(new Chunk<>());
        assertThat(output.getOut()).containsPattern(
                "\\[scoreRticCode:R1\\] 1,000 / 4,000 rows \\(25\\.0%\\), [\\d,]+ rows/s, ETA \\d+ s");
        assertThat(gauge(ProgressMeters.ROWS_DONE, "scoreRticCode:R1")).isEqualTo(1000);
        assertThat(gauge(ProgressMeters.ROWS_PLANNED, "scoreRticCode:R1")).isEqualTo(4000);
        double rate = gauge(ProgressMeters.ROWS_PER_SECOND, "scoreRticCode:R1");
        // 1,000 rows in at least 20 ms.
        assertThat(rate).isPositive().isLessThanOrEqualTo(50_000);

        step.setReadCount(4000);
        step.setWriteCount(37);
        step.setStatus(BatchStatus.COMPLETED);
        listener.afterStep(step);
        assertThat(output.getOut()).containsPattern(
                "\\[scoreRticCode:R1\\] COMPLETED: 4,000 rows read, 37 written in \\d+\\.\\d s \\([\\d,]+ rows/s\\)");
        assertThat(gauge(ProgressMeters.ROWS_DONE, "scoreRticCode:R1")).isEqualTo(4000);
    }

    @Test
    void printsAtMostOncePerIntervalButUpdatesTheGaugesAfterEveryChunk(CapturedOutput output) {
        ProgressListener listener = new ProgressListener(ROWS_TO_READ, Duration.ofHours(1), new ProgressMeters(this.registry));
        StepExecution step = step("quiet", 100);
        listener.beforeStep(step);
        step.setReadCount(60);
        listener.afterChunk(new Chunk<>());
        assertThat(output.getOut()).doesNotContain("[quiet] 60 / 100 rows");
        assertThat(gauge(ProgressMeters.ROWS_DONE, "quiet")).isEqualTo(60);
    }

    /** A resumed or recounted step can read more than was planned: planned follows the rows read. */
    @Test
    void plannedIsNeverBelowDoneAtTheEnd() {
        ProgressListener listener = new ProgressListener(ROWS_TO_READ, Duration.ZERO, new ProgressMeters(this.registry));
        StepExecution step = step("grown", 10);
        listener.beforeStep(step);
        step.setReadCount(12);
        listener.afterStep(step);
        assertThat(gauge(ProgressMeters.ROWS_PLANNED, "grown")).isEqualTo(12);
    }

}
