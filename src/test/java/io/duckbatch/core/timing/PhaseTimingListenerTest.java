package io.duckbatch.core.timing;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class PhaseTimingListenerTest {

    private static StepExecution step(long id, String name) {
        JobExecution job = new JobExecution(id, new JobInstance(id, "scoring"), new JobParameters());
        return new StepExecution(id, name, job);
    }

    @Test
    void publishesPhasesAsMicrometerTimersAfterEachChunkAndPrintsTheTableAtStepEnd(CapturedOutput output)
            throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StepTimers timers = new StepTimers();
        PhaseTimingListener listener = new PhaseTimingListener(timers, new PhaseMeters(registry));
        StepExecution step = step(7, "scoreRticCode:RTIC01");
        listener.beforeStep(step);
        SimplerTimer timer = timers.forStep(step);

        for (int i = 0; i < 3; i++) {
            try (var t = timer.track("read")) {
                Thread.sleep(2);
            }
        }
        listener.afterChunk(new Chunk<>());
        FunctionTimer read = registry.get(PhaseMeters.METER_NAME)
            .tags(PhaseMeters.JOB_TAG, "scoring", PhaseMeters.STEP_TAG, "scoreRticCode:RTIC01", PhaseMeters.PHASE_TAG, "read")
            .functionTimer();
        assertThat(read.count()).isEqualTo(3);
        assertThat(read.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(6);

        try (var t = timer.track("write")) {
            Thread.sleep(1);
        }
        try (var t = timer.track("read")) {
        }
        listener.afterStep(step);

        assertThat(read.count()).isEqualTo(4);
        assertThat(registry.get(PhaseMeters.METER_NAME).tag("phase", "write").functionTimer().count()).isEqualTo(1);
        assertThat(output.getOut()).containsPattern("Phase timing for scoreRticCode:RTIC01 \\(\\d+\\.\\d\\d s\\)")
            .containsPattern("phase\\s+calls\\s+total s\\s+mean ms\\s+share")
            .containsPattern("read\\s+4\\s+\\d+\\.\\d{3}\\s+[\\d.]+\\s+[\\d.]+%")
            .containsPattern("write\\s+1\\s+");
        // The step's timer is released: a new execution of the step starts from zero.
        assertThat(timers.forStep(step).snapshot()).isEmpty();
    }

    @Test
    void metersAreCumulativeAcrossExecutionsOfTheSameStep() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StepTimers timers = new StepTimers();
        PhaseMeters meters = new PhaseMeters(registry);
        for (long id = 1; id <= 2; id++) {
            PhaseTimingListener listener = new PhaseTimingListener(timers, meters);
            StepExecution step = step(id, "same");
            listener.beforeStep(step);
            try (var t = timers.forStep(step).track("process")) {
            }
            listener.afterStep(step);
        }
        assertThat(registry.get(PhaseMeters.METER_NAME).tag("phase", "process").functionTimer().count()).isEqualTo(2);
    }

    @Test
    void tableShowsCallsTotalsMeansAndShares() {
        String table = PhaseTimingListener.table("step", java.util.List.of(
                new SimplerTimer.PhaseStats("read", 4, 2_000_000_000L), new SimplerTimer.PhaseStats("write", 2, 500_000_000L)),
                4_000_000_000L);
        assertThat(table).contains("Phase timing for step (4.00 s)")
            .containsPattern("read\\s+4\\s+2\\.000\\s+500\\.0000\\s+50\\.0%")
            .containsPattern("write\\s+2\\s+0\\.500\\s+250\\.0000\\s+12\\.5%");
    }

}
