package io.duckbatch.core.job;

import io.duckbatch.core.load.JobDatasets;
import io.duckbatch.core.resume.ExecutionOwnerRegistry;
import io.duckbatch.core.timing.JobPhaseSummary;

import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;

/**
 * The listeners every duckbatch job needs, so a job's configuration lists only its own: the
 * owner record and heartbeat that make restart after a crash safe, the job-level phase table, the release
 * of load-once datasets, and graceful stop on shutdown.
 */
public class StandardJobListeners {

    private final JobRepository jobRepository;

    private final JobDatasets jobDatasets;

    private final GracefulShutdown gracefulShutdown;

    private final ExecutionOwnerRegistry owners;

    public StandardJobListeners(JobRepository jobRepository, JobDatasets jobDatasets, GracefulShutdown gracefulShutdown,
            ExecutionOwnerRegistry owners) {
        this.jobRepository = jobRepository;
        this.owners = owners;
        this.jobDatasets = jobDatasets;
        this.gracefulShutdown = gracefulShutdown;
    }

    /** A job builder named {@code name} with the standard listeners registered. */
    public JobBuilder job(String name) {
        return new JobBuilder(name, this.jobRepository).listener(this.owners)
            .listener(new JobPhaseSummary(this.jobRepository))
            .listener(this.jobDatasets)
            .listener(this.gracefulShutdown);
    }

}
