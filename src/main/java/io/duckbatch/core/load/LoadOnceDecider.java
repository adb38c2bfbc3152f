package io.duckbatch.core.load;

import io.duckbatch.core.timing.JobPhaseSummary;
import io.duckbatch.core.timing.SimplerTimer;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;
import org.springframework.batch.core.step.StepExecution;

/**
 * Rule 1 as a branch of a job's flow: loads a lookup once (into the job's
 * {@link JobDatasets}) when {@link LoadDecider} says it fits, and routes the flow to
 * {@link #LOADED} (steps that use the loaded copy) or {@link #CHUNKED} (steps that leave
 * the data in DuckDB, e.g. do the join in SQL).
 */
public class LoadOnceDecider<T> implements JobExecutionDecider {

    public static final String LOADED = "LOADED";

    public static final String CHUNKED = "CHUNKED";

    private final JobDatasets datasets;

    private final String name;

    private final LoadDecider decider;

    private final JobDatasets.Loader<T> loader;

    /** @param name the dataset's name in {@link JobDatasets}, for the steps that use it */
    public LoadOnceDecider(JobDatasets datasets, String name, LoadDecider decider, JobDatasets.Loader<T> loader) {
        this.datasets = datasets;
        this.name = name;
        this.decider = decider;
        this.loader = loader;
    }

    /** The load, when it happens, is the phase {@code load} of the job's phase table: no step runs meanwhile. */
    @Override
    public FlowExecutionStatus decide(JobExecution jobExecution, StepExecution stepExecution) {
        SimplerTimer timer = new SimplerTimer();
        LoadedRows<T> loaded = this.datasets.loadOnceIfItFits(jobExecution, this.name, this.decider, () -> {
            try (var loading = timer.track("load")) {
                return this.loader.load();
            }
        });
        JobPhaseSummary.add(jobExecution, timer.snapshot());
        return new FlowExecutionStatus((loaded != null) ? LOADED : CHUNKED);
    }

}
