package io.duckbatch.core.resume;

import java.util.HashMap;
import java.util.List;
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
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * Rule 11, task level: one launch command that continues an interrupted job instance instead
 * of starting over. If the job's last instance has the same identifying parameters and its
 * last execution did not complete, that instance is restarted (its completed steps and
 * partitions are skipped by Spring Batch); an execution left running by a process that is
 * gone is recovered first. Otherwise a new instance starts with the next {@code run.id}.
 * <p>
 * A job's {@link RecordedInputs} are recorded with each new instance and checked before
 * one of its executions is resumed, here or by {@link #restart}: a resumed execution reads
 * what the run it continues read, or is refused with one line saying how to start afresh.
 */
public class ResumingJobLauncher {

    public static final String RUN_ID = "run.id";

    private static final Logger log = LoggerFactory.getLogger(ResumingJobLauncher.class);

    private final JobOperator jobOperator;

    private final JobRepository jobRepository;

    private final ExecutionOwnerRegistry owners;

    private final List<RecordedInputs> inputs;

    /** @param inputs the recorded inputs of the jobs this launcher starts (none: nothing recorded or checked) */
    public ResumingJobLauncher(JobOperator jobOperator, JobRepository jobRepository, ExecutionOwnerRegistry owners,
            List<RecordedInputs> inputs) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.owners = owners;
        this.inputs = List.copyOf(inputs);
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
        JobParametersBuilder next = new JobParametersBuilder(parameters).addLong(RUN_ID, nextRunId);
        for (RecordedInputs input : inputsOf(job.getName())) {
            JobParameters recorded = input.record();
            for (JobParameter<?> parameter : recorded) {
                if (parameters.getParameter(parameter.name()) != null) {
                    // It would be replaced by what the settings say, and the run would record a lie.
                    throw new IllegalArgumentException("Job parameter '" + parameter.name() + "' is recorded from the"
                            + " settings by " + job.getName() + ": name the parameter otherwise");
                }
            }
            next.addJobParameters(recorded);
        }
        log.info("Starting {} run {} with {}", job.getName(), nextRunId, describe(parameters));
        return this.jobOperator.start(job, next.toJobParameters());
    }

    /**
     * Restarts a FAILED or STOPPED execution, once its job's recorded inputs are found
     * unchanged ({@link RecordedInputs#requireUnchanged}).
     */
    public JobExecution restart(JobExecution execution) throws Exception {
        requireInputsUnchanged(execution);
        return this.jobOperator.restart(execution);
    }

    private void requireInputsUnchanged(JobExecution execution) {
        for (RecordedInputs input : inputsOf(execution.getJobInstance().getJobName())) {
            input.requireUnchanged(execution);
        }
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
            // A session it left in a transaction would hold the rows the recovery updates.
            owner.ifPresent(this.owners::endSessions);
            lastExecution = recover(lastExecution);
        }
        BatchStatus status = lastExecution.getStatus();
        if (status == BatchStatus.FAILED || status == BatchStatus.STOPPED) {
            requireInputsUnchanged(lastExecution);
            log.info("Resuming {} execution {} ({}, run {})", job, lastExecution.getId(), status,
                    lastExecution.getJobParameters().getLong(RUN_ID));
            return Optional.of(this.jobOperator.restart(lastExecution));
        }
        return Optional.empty();
    }

    /**
     * Spring Batch's recover (the running steps and the job marked FAILED), read again and done
     * again when a step was updated meanwhile: a worker may be starting a partition request the
     * dead manager sent (version check of the step execution). The fourth conflict is thrown.
     */
    private JobExecution recover(JobExecution execution) {
        for (int attempt = 1;; attempt++) {
            try {
                return this.jobOperator.recover(execution);
            }
            catch (OptimisticLockingFailureException ex) {
                if (attempt == 4) {
                    throw ex;
                }
                execution = this.jobRepository.getJobExecution(execution.getId());
            }
        }
    }

    private List<RecordedInputs> inputsOf(String job) {
        return this.inputs.stream().filter(input -> input.jobName().equals(job)).toList();
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
