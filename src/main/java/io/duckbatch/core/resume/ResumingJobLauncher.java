package io.duckbatch.core.resume;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Rule 11, task level: one launch command that continues an interrupted job instance instead
 * of starting over. If the job's last instance has the same identifying parameters and its
 * last execution did not complete, that instance is restarted (its completed steps and
 * partitions are skipped by Spring Batch); an execution left running by a process that is
 * gone is recovered first. Otherwise a new instance starts with the next {@code run.id}.
 */
public class ResumingJobLauncher {

    public static final String RUN_ID = "run.id";

    private static final Logger log = LoggerFactory.getLogger(ResumingJobLauncher.class);

    private final JobOperator jobOperator;

    private final JobRepository jobRepository;

    private final ExecutionOwnerRegistry owners;

    public ResumingJobLauncher(JobOperator jobOperator, JobRepository jobRepository, ExecutionOwnerRegistry owners) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.owners = owners;
    }

    /**
     * @param parameters the identifying parameters, without {@code run.id}
     * @throws JobExecutionAlreadyRunningException when the instance is running in a live process
     */
    public JobExecution launch(Job job, JobParameters parameters) throws Exception {
        JobInstance last = this.jobRepository.getLastJobInstance(job.getName());
        long nextRunId = 1;
        if (last != null) {
            JobExecution lastExecution = this.jobRepository.getLastJobExecution(last);
            if (lastExecution != null) {
                nextRunId = lastExecution.getJobParameters().getLong(RUN_ID, 0L) + 1;
                if (sameIdentity(lastExecution.getJobParameters(), parameters)) {
                    Optional<JobExecution> resumed = resume(lastExecution);
                    if (resumed.isPresent()) {
                        return resumed.get();
                    }
                }
            }
        }
        JobParameters next = new JobParametersBuilder(parameters).addLong(RUN_ID, nextRunId).toJobParameters();
        log.info("Starting {} run {} with {}", job.getName(), nextRunId, describe(parameters));
        return this.jobOperator.start(job, next);
    }

    /**
     * Refuses to treat an execution as dead while the process recorded as its owner may be
     * running (see {@link ExecutionOwnerRegistry#mayBeRunning}).
     * @return the owner that is gone, if one was recorded
     * @throws JobExecutionAlreadyRunningException naming the owner
     */
    public Optional<ExecutionOwner> requireOwnerGone(JobExecution execution) throws JobExecutionAlreadyRunningException {
        if (!execution.getStatus().isRunning()) {
            return Optional.empty();
        }
        Optional<ExecutionOwner> owner = this.owners.ownerOf(execution.getId());
        if (this.owners.mayBeRunning(execution, owner)) {
            throw new JobExecutionAlreadyRunningException(execution.getJobInstance().getJobName() + " execution "
                    + execution.getId() + " is running in "
                    + owner.map(ExecutionOwner::toString).orElse("a process that has not recorded itself yet")
                    + "; not starting it again");
        }
        return owner;
    }

    private Optional<JobExecution> resume(JobExecution lastExecution) throws Exception {
        String job = lastExecution.getJobInstance().getJobName();
        if (lastExecution.getStatus().isRunning()) {
            Optional<ExecutionOwner> owner = requireOwnerGone(lastExecution);
            log.info("Recovering {} execution {} left {} by {}", job, lastExecution.getId(), lastExecution.getStatus(),
                    owner.map(dead -> "dead process " + dead).orElse("a process that recorded no owner"));
            lastExecution = this.jobOperator.recover(lastExecution);
        }
        BatchStatus status = lastExecution.getStatus();
        if (status == BatchStatus.FAILED || status == BatchStatus.STOPPED) {
            log.info("Resuming {} execution {} ({}, run {})", job, lastExecution.getId(), status,
                    lastExecution.getJobParameters().getLong(RUN_ID));
            return Optional.of(this.jobOperator.restart(lastExecution));
        }
        return Optional.empty();
    }

    private static boolean sameIdentity(JobParameters previous, JobParameters requested) {
        return identity(previous).equals(identity(requested));
    }

    /**
     * The identifying parameters but {@code run.id}, by name, with their values: Spring
     * Batch's {@link JobParameter} equals another of the same name whatever its value.
     */
    private static Map<String, Object> identity(JobParameters parameters) {
        Map<String, Object> identity = new HashMap<>();
        for (JobParameter<?> parameter : parameters.getIdentifyingParameters()) {
            if (!RUN_ID.equals(parameter.name())) {
                identity.put(parameter.name(), parameter.value());
            }
        }
        return identity;
    }

    private static String describe(JobParameters parameters) {
        return parameters.getIdentifyingParameters()
            .stream()
            .map(parameter -> parameter.name() + "=" + parameter.value())
            .collect(Collectors.joining(", "));
    }

}
