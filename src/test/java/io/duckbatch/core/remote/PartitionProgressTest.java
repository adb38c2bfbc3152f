package io.duckbatch.core.remote;

import java.time.Duration;
import java.util.Optional;

import io.duckbatch.core.resume.ExecutionOwner;
import io.duckbatch.core.timing.ProgressListener;
import io.duckbatch.core.timing.ProgressMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workers' progress on the manager, from partitions as the repository shows them poll
 * after poll: the rows each worker recorded count once in its host- and pid-tagged counters,
 * however often the same counts are seen; the partitions' gauges follow; each attempt's end
 * and each worker's totals are printed.
 */
@ExtendWith(OutputCaptureExtension.class)
class PartitionProgressTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private final JobExecution job = new JobExecution(1L, new JobInstance(1L, "companyScoring"), new JobParameters());

    private static final ExecutionOwner WORKER_A = new ExecutionOwner("host-a", 101, Duration.ZERO);

    private static final ExecutionOwner WORKER_B = new ExecutionOwner("host-b", 202, Duration.ZERO);

    private StepExecution partition(long id, String name, long read, long written, BatchStatus status) {
        StepExecution partition = new StepExecution(id, name, this.job);
        partition.setReadCount(read);
        partition.setWriteCount(written);
        partition.setStatus(status);
        partition.getExecutionContext().putLong(ProgressListener.ROWS_PLANNED_KEY, 5_000);
        return partition;
    }

    private double counter(String name, ExecutionOwner worker) {
        return this.registry.get(name).tags("job.name", "companyScoring", "host", worker.host(), "pid",
                Long.toString(worker.pid())).counter().count();
    }

    private double gauge(String name, String step) {
        return this.registry.get(name).tags("job.name", "companyScoring", "step.name", step).gauge().value();
    }

    @Test
    void countsWhatEachWorkerRecordedOnceAndTellsEachEnd(CapturedOutput output) {
        PartitionProgress progress = new PartitionProgress(new ProgressMeters(this.registry), Duration.ZERO);
        // Not claimed yet: nothing to tell, nobody to count for.
        progress.running(partition(11, "score:p-0001", 0, 0, BatchStatus.STARTING), Optional.empty());
        progress.running(partition(11, "score:p-0001", 2_048, 1_500, BatchStatus.STARTED), Optional.of(WORKER_A));
        progress.running(partition(11, "score:p-0001", 2_048, 1_500, BatchStatus.STARTED), Optional.of(WORKER_A));
        progress.running(partition(12, "score:p-0002", 1_000, 700, BatchStatus.STARTED), Optional.of(WORKER_B));
        assertThat(gauge(ProgressMeters.ROWS_DONE, "score:p-0001")).isEqualTo(2_048);
        assertThat(gauge(ProgressMeters.ROWS_PLANNED, "score:p-0001")).isEqualTo(5_000);
        assertThat(output.getOut()).contains("[score:p-0001] 2,048 / 5,000 rows (41.0%)", "on worker pid 101 on host-a");

        // Worker B dies after 1,000 rows: its attempt ends FAILED, the next one (13) runs on A.
        progress.ended(partition(12, "score:p-0002", 1_000, 700, BatchStatus.FAILED), Optional.of(WORKER_B));
        progress.ended(partition(11, "score:p-0001", 5_000, 3_600, BatchStatus.COMPLETED), Optional.of(WORKER_A));
        progress.ended(partition(13, "score:p-0002", 4_000, 2_900, BatchStatus.COMPLETED), Optional.of(WORKER_A));
        progress.summary("score");

        assertThat(counter(ProgressMeters.WORKER_ROWS_READ, WORKER_A)).isEqualTo(9_000);
        assertThat(counter(ProgressMeters.WORKER_ROWS_WRITTEN, WORKER_A)).isEqualTo(6_500);
        assertThat(counter(ProgressMeters.WORKER_ROWS_READ, WORKER_B)).isEqualTo(1_000);
        assertThat(counter(ProgressMeters.WORKER_ROWS_WRITTEN, WORKER_B)).isEqualTo(700);
        assertThat(gauge(ProgressMeters.ROWS_DONE, "score:p-0002")).isEqualTo(4_000);
        assertThat(output.getOut()).contains("[score:p-0002] FAILED: 1,000 rows read, 700 written in",
                "[score:p-0001] COMPLETED: 5,000 rows read, 3,600 written in",
                "[score] worker pid 101 on host-a: 2 partition attempts, 9,000 rows read, 6,500 written",
                "[score] worker pid 202 on host-b: 1 partition attempt, 1,000 rows read, 700 written");
    }

}
