package io.duckbatch.core.remote;

import java.nio.file.Path;
import java.time.Duration;

import io.duckbatch.core.duckdb.StorageVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Shards of one partition across attempts: each attempt opens the same file (so it resumes
 * after what an earlier one wrote), but an attempt older than one that opened it is refused.
 */
class PartitionTargetTest {

    private static final String PARTITION = "scoreCompanyRange:companies-0001";

    @TempDir
    Path dir;

    private final JobExecution job = new JobExecution(1L, new JobInstance(3L, "companyScoring"), new JobParameters());

    @Test
    void aLaterAttemptOpensTheShardAnOlderOneIsRefused() throws Exception {
        PartitionTarget target = PartitionTarget.sharded(this.dir, StorageVersion.DEFAULT, Duration.ZERO);
        StepExecution first = new StepExecution(5L, PARTITION, this.job);
        StepExecution rerun = new StepExecution(9L, PARTITION, this.job);
        StepExecution late = new StepExecution(5L, PARTITION, this.job);

        target.of(first, "CREATE TABLE IF NOT EXISTS t (k INTEGER)");
        target.afterStep(first);
        target.of(rerun, "CREATE TABLE IF NOT EXISTS t (k INTEGER)");
        target.afterStep(rerun);

        assertThatIllegalStateException().isThrownBy(() -> target.of(late))
            .withMessageContaining("Partition " + PARTITION + " (5) was run again as 9")
            .withMessageContaining("this attempt writes nothing");
        // A later attempt still opens it.
        StepExecution next = new StepExecution(12L, PARTITION, this.job);
        target.of(next);
        target.afterStep(next);
        assertThat(target.shards(this.job)).containsExactly(this.dir.resolve("companyScoring-3").resolve(PARTITION.replace(':', '_')
                + ".duckdb"));
    }

}
