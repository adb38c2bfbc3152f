package io.duckbatch.core.resume;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.duckbatch.support.TestBatch;
import io.duckbatch.support.TestJobRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One launch command that resumes an interrupted instance, on a real job repository (H2 and
 * PostgreSQL) with Spring Batch's own operator: a job of two steps whose second fails while
 * {@link #failing} is set.
 */
class ResumingJobLauncherTest {

    @TempDir
    Path dir;

    private TestJobRepository repository;

    private TestBatch batch;

    private ExecutionOwnerRegistry owners;

    private ResumingJobLauncher launcher;

    private Job job;

    private final AtomicInteger firstRuns = new AtomicInteger();

    private final AtomicInteger secondRuns = new AtomicInteger();

    private final AtomicBoolean failing = new AtomicBoolean();

    /** The version of an input of the job that is not in its identity, as a file's content would be. */
    private final AtomicInteger inputVersion = new AtomicInteger(1);

    private final RecordedInputs input = new RecordedInputs() {

        @Override
        public String jobName() {
            return "resumable";
        }

        @Override
        public JobParameters record() {
            return new JobParametersBuilder().addLong("input.version", (long) inputVersion.get(), false).toJobParameters();
        }

        @Override
        public void requireUnchanged(JobExecution execution) {
            long recorded = execution.getJobParameters().getLong("input.version");
            if (recorded != inputVersion.get()) {
                throw new IllegalStateException("input changed since execution " + execution.getId() + " (was " + recorded + ")");
            }
        }

    };

    private void open(String kind) throws Exception {
        this.repository = TestJobRepository.open(kind, this.dir);
        this.batch = TestBatch.on(this.repository);
        this.owners = new ExecutionOwnerRegistry(this.batch.dataSource(), "BATCH_", Duration.ofHours(1), Duration.ofMinutes(10));
        this.owners.createTableIfMissing();
        this.launcher = new ResumingJobLauncher(this.batch.jobOperator(), this.batch.jobRepository(), this.owners,
                List.of(this.input));
        this.job = this.batch.register(new JobBuilder("resumable", this.batch.jobRepository()).listener(this.owners)
            .start(new StepBuilder("first", this.batch.jobRepository()).tasklet((contribution, chunk) -> {
                this.firstRuns.incrementAndGet();
                return RepeatStatus.FINISHED;
            }, this.batch.transactionManager()).build())
            .next(new StepBuilder("second", this.batch.jobRepository()).tasklet((contribution, chunk) -> {
                this.secondRuns.incrementAndGet();
                if (this.failing.get()) {
                    throw new IllegalStateException("second fails");
                }
                return RepeatStatus.FINISHED;
            }, this.batch.transactionManager()).build())
            .build());
    }

    @AfterEach
    void close() throws Exception {
        if (this.owners != null) {
            this.owners.close();
        }
        if (this.batch != null) {
            this.batch.close();
        }
        if (this.repository != null) {
            this.repository.close();
        }
    }

    private static JobParameters batchNamed(String name) {
        return new JobParametersBuilder().addString("batch", name).toJobParameters();
    }

    private JobExecution launch(String batchName) throws Exception {
        return this.launcher.launch(this.job, batchNamed(batchName));
    }

    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void aFailedInstanceIsResumedWithoutRepeatingItsCompletedSteps(String kind) throws Exception {
        open(kind);
        this.failing.set(true);
        JobExecution failed = launch("a");
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(failed.getJobParameters().getLong(ResumingJobLauncher.RUN_ID)).isEqualTo(1L);

        this.failing.set(false);
        JobExecution resumed = launch("a");

        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.getId()).isNotEqualTo(failed.getId());
        assertThat(resumed.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
        assertThat(resumed.getJobParameters()).isEqualTo(failed.getJobParameters());
        assertThat(this.firstRuns).as("the completed first step is not run again").hasValue(1);
        assertThat(this.secondRuns).hasValue(2);
        assertThat(this.repository.count("SELECT count(*) FROM BATCH_JOB_INSTANCE")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void aCompletedInstanceOrOtherParametersStartANewInstanceWithTheNextRunId(String kind) throws Exception {
        open(kind);
        JobExecution first = launch("a");
        assertThat(first.getStatus()).isEqualTo(BatchStatus.COMPLETED);

        JobExecution second = launch("a");
        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(second.getJobInstance().getInstanceId()).isNotEqualTo(first.getJobInstance().getInstanceId());
        assertThat(second.getJobParameters().getLong(ResumingJobLauncher.RUN_ID)).isEqualTo(2L);
        assertThat(second.getJobParameters().getString("batch")).isEqualTo("a");
        assertThat(this.firstRuns).hasValue(2);

        // A failed instance is resumed only by a launch with its parameters.
        this.failing.set(true);
        JobExecution failed = launch("a");
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        this.failing.set(false);
        JobExecution other = launch("b");
        assertThat(other.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(other.getJobInstance().getInstanceId()).isNotEqualTo(failed.getJobInstance().getInstanceId());
        assertThat(other.getJobParameters().getLong(ResumingJobLauncher.RUN_ID)).isEqualTo(4L);
        assertThat(this.repository.count("SELECT count(*) FROM BATCH_JOB_INSTANCE")).isEqualTo(4);
    }

    /** An execution the repository shows STARTED, owned by this (live) JVM. */
    private JobExecution leftStarted() throws Exception {
        this.failing.set(true);
        JobExecution failed = launch("a");
        this.failing.set(false);
        this.repository.update("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STARTED', END_TIME = NULL WHERE JOB_EXECUTION_ID = "
                + failed.getId());
        return failed;
    }

    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void anInstanceWhoseOwnerLivesIsNotStartedAgain(String kind) throws Exception {
        open(kind);
        JobExecution started = leftStarted();
        assertThat(this.owners.ownerOf(started.getId()).orElseThrow().pid()).isEqualTo(ProcessHandle.current().pid());

        assertThatThrownBy(() -> launch("a")).isInstanceOf(JobExecutionAlreadyRunningException.class)
            .hasMessageStartingWith("resumable execution " + started.getId() + " is running in pid " + ProcessHandle.current().pid()
                    + " on " + InetAddress.getLocalHost().getHostName() + " (last heartbeat ")
            .hasMessageEndingWith("; not starting it again");
        assertThat(this.repository.column("SELECT STATUS FROM BATCH_JOB_EXECUTION")).containsExactly("STARTED");
        assertThat(this.secondRuns).hasValue(1);
    }

    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void anInstanceLeftStartedByADeadProcessIsRecoveredThenResumed(String kind) throws Exception {
        open(kind);
        JobExecution started = leftStarted();
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        this.repository.update("UPDATE BATCH_EXECUTION_OWNER SET PID = " + dead.pid());

        JobExecution resumed = launch("a");

        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.getJobInstance().getInstanceId()).isEqualTo(started.getJobInstance().getInstanceId());
        assertThat(this.repository.column("SELECT STATUS FROM BATCH_JOB_EXECUTION ORDER BY JOB_EXECUTION_ID"))
            .containsExactly("FAILED", "COMPLETED");
        assertThat(this.firstRuns).hasValue(1);
        assertThat(this.secondRuns).hasValue(2);
    }

    /**
     * Recorded inputs: written with a new instance, found unchanged before a resume or a
     * restart, which are refused otherwise without creating an execution.
     */
    @ParameterizedTest(name = "{0} job repository")
    @ValueSource(strings = { TestJobRepository.H2, TestJobRepository.POSTGRES })
    void anExecutionIsResumedOnlyWithTheInputsItRecorded(String kind) throws Exception {
        open(kind);
        this.failing.set(true);
        JobExecution failed = launch("a");
        assertThat(failed.getJobParameters().getLong("input.version")).isEqualTo(1L);
        assertThat(failed.getJobParameters().getParameter("input.version").identifying()).isFalse();

        this.failing.set(false);
        this.inputVersion.set(2);
        assertThatThrownBy(() -> launch("a")).hasMessage("input changed since execution 1 (was 1)");
        assertThatThrownBy(() -> this.launcher.restart(failed)).hasMessage("input changed since execution 1 (was 1)");
        assertThat(this.repository.count("SELECT count(*) FROM BATCH_JOB_EXECUTION")).isOne();

        this.inputVersion.set(1);
        JobExecution resumed = this.launcher.restart(failed);
        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.getJobParameters()).isEqualTo(failed.getJobParameters());

        // Complete: other inputs start a new instance, which records them.
        this.inputVersion.set(3);
        JobExecution next = launch("a");
        assertThat(next.getJobInstance().getInstanceId()).isNotEqualTo(failed.getJobInstance().getInstanceId());
        assertThat(next.getJobParameters().getLong("input.version")).isEqualTo(3L);

        // A job parameter of a recorded input's name would be overwritten: refused.
        JobParameters clash = new JobParametersBuilder().addString("input.version", "9").toJobParameters();
        assertThatThrownBy(() -> this.launcher.launch(this.job, clash)).hasMessage("Job parameter 'input.version' is"
                + " recorded from the settings by resumable: name the parameter otherwise");
    }

}
