package io.duckbatch.core.resume;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * An input of a job that is not part of its instances' identity (a file the settings name,
 * say) but that an execution must find unchanged when it is resumed: a resumed execution
 * has to compute what the run it continues computed. {@link ResumingJobLauncher} records the
 * input with every new instance, as non-identifying job parameters (Spring Batch hands them
 * to each restart of the instance), and asks before it resumes or restarts an execution.
 * A bean of a job's configuration.
 */
public interface RecordedInputs {

    /** The job that reads these inputs. */
    String jobName();

    /**
     * Checks the inputs the settings name now, for a new instance.
     * @return what to record of them: non-identifying parameters (none: nothing to record)
     * @throws IllegalArgumentException one line naming the input and the fix
     */
    JobParameters record();

    /**
     * Refuses to resume {@code execution} when the inputs it would read now are not those it
     * recorded.
     * @throws IllegalStateException one line naming the input and how to resume or start afresh
     */
    void requireUnchanged(JobExecution execution);

}
