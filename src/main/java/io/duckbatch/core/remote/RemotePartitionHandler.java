package io.duckbatch.core.remote;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.duckbatch.core.resume.ExecutionOwner;
import io.duckbatch.core.resume.ExecutionOwnerRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.partition.support.AbstractPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The manager's side of remote partitioning: one {@link StepExecutionRequest} per partition to
 * the workers ({@link PartitionRequests}), then the job repository polled until every
 * partition has ended, as Spring Batch's {@code MessageChannelPartitionHandler} does when it
 * polls; unlike it, a partition whose worker died is run again.
 *
 * <p>Restart contract: a running partition whose claim's owner is gone
 * ({@link ExecutionOwnerRegistry#goneOwnerOf}: its pid dead on this host, or silent for
 * {@code duckbatch.heartbeat.timeout} on another) is marked FAILED in the repository and sent
 * again as a new step execution of the same name with the dead attempt's ExecutionContext, so
 * that it resumes after what its shard holds ({@link PartitionTarget}); a partition gets
 * {@code maxAttempts} attempts in one run of the manager, the last one's death fails the step.
 * Marking an attempt FAILED bumps its step execution's version, so a late worker that is alive
 * after all fails its next update of the repository (Spring Batch's optimistic locking): it
 * can never record the attempt COMPLETED, and {@link PartitionTarget} keeps it from writing
 * the shard once a later attempt has opened it. A partition that fails on its own is not run
 * again here: the step fails, and the next run resumes it.
 */
public final class RemotePartitionHandler extends AbstractPartitionHandler {

    private static final Logger log = LoggerFactory.getLogger(RemotePartitionHandler.class);

    private final String workerStep;

    private final PartitionRequests requests;

    private final JobRepository jobRepository;

    private final ExecutionOwnerRegistry owners;

    private final Duration pollInterval;

    private final int maxAttempts;

    /**
     * @param workerStep the step the workers run for each partition (its bean name)
     * @param owners the partitions' claims ({@link ExecutionOwnerRegistry#forPartitions})
     * @param pollInterval time between two looks at the repository
     * @param maxAttempts attempts a partition gets when its workers die
     */
    public RemotePartitionHandler(String workerStep, PartitionRequests requests, JobRepository jobRepository,
            ExecutionOwnerRegistry owners, Duration pollInterval, int maxAttempts) {
        if (requests == null || jobRepository == null || owners == null) {
            throw new IllegalArgumentException("Remote partitions of step " + workerStep + " need the request channel"
                    + " (PartitionRequests.in(jobRepository)), the job repository and the partition owners"
                    + " (ExecutionOwnerRegistry.forPartitions)");
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("Remote partitions need a poll interval above zero"
                    + " (duckbatch.worker.poll-interval), was " + pollInterval);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("Remote partitions need at least 1 attempt (duckbatch.worker.max-attempts), was "
                    + maxAttempts);
        }
        this.workerStep = workerStep;
        this.requests = requests;
        this.jobRepository = jobRepository;
        this.owners = owners;
        this.pollInterval = pollInterval;
        this.maxAttempts = maxAttempts;
    }

    @Override
    protected Set<StepExecution> doHandle(StepExecution manager, Set<StepExecution> partitions) throws Exception {
        // The attempt running for each partition (by name), and how many it has had.
        Map<String, Long> running = new HashMap<>();
        Map<String, Integer> attempts = new HashMap<>();
        for (StepExecution partition : partitions) {
            send(partition);
            running.put(partition.getStepName(), partition.getId());
            attempts.put(partition.getStepName(), 1);
        }
        Set<StepExecution> ended = new HashSet<>();
        while (!running.isEmpty()) {
            Thread.sleep(this.pollInterval.toMillis());
            for (String name : Set.copyOf(running.keySet())) {
                StepExecution partition = this.jobRepository.getStepExecution(running.get(name));
                if (!partition.getStatus().isRunning()) {
                    ended.add(partition);
                    running.remove(name);
                    continue;
                }
                Optional<ExecutionOwner> gone = this.owners.goneOwnerOf(partition.getId());
                if (gone.isEmpty() || !markFailed(partition, gone.get())) {
                    continue;
                }
                int attempt = attempts.merge(name, 1, Integer::sum);
                if (attempt > this.maxAttempts) {
                    log.error("Partition {} FAILED: {} attempts' workers died (duckbatch.worker.max-attempts)", name,
                            this.maxAttempts);
                    ended.add(partition);
                    running.remove(name);
                    continue;
                }
                running.put(name, runAgain(manager, partition, attempt, gone.get()).getId());
            }
        }
        return ended;
    }

    /** A new step execution of the dead attempt's partition, with its context (range, resume state), sent to the workers. */
    private StepExecution runAgain(StepExecution manager, StepExecution dead, int attempt, ExecutionOwner gone) {
        StepExecution next = this.jobRepository.createStepExecution(dead.getStepName(), manager.getJobExecution());
        next.setExecutionContext(new ExecutionContext(dead.getExecutionContext()));
        this.jobRepository.updateExecutionContext(next);
        send(next);
        log.warn("Partition {} ({}) sent again as attempt {} of {} ({}): its worker, {}, is gone", dead.getStepName(),
                dead.getId(), attempt, this.maxAttempts, next.getId(), gone);
        return next;
    }

    /**
     * Records the attempt of a gone worker FAILED; false when its worker updated it meanwhile
     * (alive after all, or ended: the next poll sees which).
     */
    private boolean markFailed(StepExecution partition, ExecutionOwner gone) {
        partition.setStatus(BatchStatus.FAILED);
        partition.setExitStatus(ExitStatus.FAILED.addExitDescription("its worker, " + gone + ", is gone"));
        partition.setEndTime(LocalDateTime.now());
        try {
            this.jobRepository.update(partition);
            return true;
        }
        catch (OptimisticLockingFailureException ex) {
            return false;
        }
    }

    private void send(StepExecution partition) {
        this.requests.channel().send(MessageBuilder.withPayload(new StepExecutionRequest(this.workerStep, partition.getId()))
            .build());
    }

}
