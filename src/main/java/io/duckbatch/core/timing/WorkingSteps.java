package io.duckbatch.core.timing;

import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * What the steps of a job execution that do the work did: the tasks of a partitioned step,
 * not the manager step over them (which repeats its tasks' counts), and plain steps.
 */
public final class WorkingSteps {

    private WorkingSteps() {
    }

    /** Rows the execution's working steps read. */
    public static long rowsRead(JobExecution execution) {
        return sum(execution, StepExecution::getReadCount);
    }

    /** Rows the execution's working steps wrote. */
    public static long rowsWritten(JobExecution execution) {
        return sum(execution, StepExecution::getWriteCount);
    }

    /** Rows the execution's working steps rejected into the job's dead-letter table (skips). */
    public static long rowsSkipped(JobExecution execution) {
        return sum(execution, StepExecution::getSkipCount);
    }

    /** How many of the execution's tasks a stop reached before their first chunk. */
    public static long notStarted(JobExecution execution) {
        return of(execution).filter(WorkingSteps::notStarted).count();
    }

    /**
     * Whether a stop reached this task before its first chunk: it read and wrote nothing
     * (Spring Batch still runs a task the stop reaches while it waits, and ends it at once).
     */
    public static boolean notStarted(StepExecution step) {
        return step.getStatus() == BatchStatus.STOPPED && step.getCommitCount() == 0;
    }

    /**
     * The execution with its steps as the job repository holds them when some ran in other
     * processes, else {@code execution} itself (no read). A distributed run's partitions ran
     * on workers: this process's copies of them never saw their chunks and still show the
     * status they were sent with, running, after the job ended.
     */
    public static JobExecution asRecorded(JobExecution execution, JobRepository jobRepository) {
        if (execution.getStepExecutions().stream().noneMatch(step -> step.getStatus().isRunning())) {
            return execution;
        }
        JobExecution recorded = jobRepository.getJobExecution(execution.getId());
        return (recorded != null) ? recorded : execution;
    }

    private static long sum(JobExecution execution, ToLongFunction<StepExecution> count) {
        return of(execution).mapToLong(count).sum();
    }

    private static Stream<StepExecution> of(JobExecution execution) {
        return execution.getStepExecutions().stream().filter(step -> !isPartitionManager(step));
    }

    /**
     * Spring Batch's splitter records the grid size in the manager step's context (key
     * {@code SimpleStepExecutionSplitter.GRID_SIZE}), and only there.
     */
    private static boolean isPartitionManager(StepExecution step) {
        return step.getExecutionContext().toMap().keySet().stream().anyMatch(key -> key.endsWith(".GRID_SIZE"));
    }

}
