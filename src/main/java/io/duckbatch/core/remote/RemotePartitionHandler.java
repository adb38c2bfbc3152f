package io.duckbatch.core.remote;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

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
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * The manager's side of remote partitioning: one {@link StepExecutionRequest} per partition to
 * the workers ({@link PartitionRequests}), then the job repository polled until every
 * partition has ended, as Spring Batch's {@code MessageChannelPartitionHandler} does when it
 * polls; unlike it, a partition whose worker died is run again.
 *
 * <p>Restart contract: a running partition whose claim's owner is gone
 * ({@link ExecutionOwnerRegistry#isGone}: its pid dead on this host, or silent for
 * {@code duckbatch.heartbeat.timeout} on another) is marked FAILED in the repository and sent
 * again as a new step execution of the same name with the dead attempt's ExecutionContext, so
 * that it resumes after what its shard holds ({@link PartitionTarget}); a partition gets
 * {@code maxAttempts} attempts in one run of the manager, the last one's death fails the step.
 * Marking an attempt FAILED bumps its step execution's version, so a late worker that is alive
 * after all fails its next update of the repository (Spring Batch's optimistic locking): it
 * can never record the attempt COMPLETED, and {@link PartitionTarget} keeps it from writing
 * the shard once a later attempt has opened it. A partition nobody claimed whose request has
 * left the queue ({@link PartitionRequests#isQueued}) for the heartbeat timeout was taken by a
 * process that died before claiming it: its request is sent again (the same step execution,
 * which never started; an attempt too), and should the taker be alive after all, the claim
 * lets only one of the two deliveries run it. A partition that fails on its own is not run
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

    private final Supplier<PartitionProgress> progress;

    /**
     * @param workerStep the step the workers run for each partition (its bean name)
     * @param owners the partitions' claims ({@link ExecutionOwnerRegistry#forPartitions})
     * @param pollInterval time between two looks at the repository
     * @param maxAttempts attempts a partition gets when its workers die
     * @param progress what tells the workers' progress in this process: a new one per step execution
     */
    public RemotePartitionHandler(String workerStep, PartitionRequests requests, JobRepository jobRepository,
            ExecutionOwnerRegistry owners, Duration pollInterval, int maxAttempts, Supplier<PartitionProgress> progress) {
        if (requests == null || jobRepository == null || owners == null || progress == null) {
            throw new IllegalArgumentException("Remote partitions of step " + workerStep + " need the request channel"
                    + " (PartitionRequests.in(jobRepository)), the job repository, the partition owners"
                    + " (ExecutionOwnerRegistry.forPartitions) and their progress (new PartitionProgress(...))");
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
        this.progress = progress;
    }

    /** A partition being run: its current attempt, how many it has had, its last request, since when that is lost. */
    private static final class Run {

        private StepExecution attempt;

        private int attempts = 1;

        private UUID request;

        /** System.nanoTime() when the request was first seen out of the queue with the partition unclaimed; null: not so. */
        private Long unclaimedSince;

    }

    @Override
    protected Set<StepExecution> doHandle(StepExecution manager, Set<StepExecution> partitions) throws Exception {
        Map<String, Run> running = new HashMap<>();
        for (StepExecution partition : partitions) {
            Run run = new Run();
            run.attempt = partition;
            run.request = send(partition);
            running.put(partition.getStepName(), run);
        }
        PartitionProgress progress = this.progress.get();
        Set<StepExecution> ended = new HashSet<>();
        while (!running.isEmpty()) {
            Thread.sleep(this.pollInterval.toMillis());
            for (Run run : List.copyOf(running.values())) {
                run.attempt = this.jobRepository.getStepExecution(run.attempt.getId());
                boolean finished = !run.attempt.getStatus().isRunning();
                if (finished) {
                    progress.ended(run.attempt, this.owners.ownerOf(run.attempt.getId()));
                }
                if (finished || !poll(manager, run, progress)) {
                    ended.add(run.attempt);
                    running.remove(run.attempt.getStepName());
                }
            }
        }
        progress.summary(manager.getStepName());
        return ended;
    }

    /**
     * One look at a running partition: its worker gone, its request lost, or neither; false
     * once it has used its attempts (its last attempt then FAILED, in {@code run}).
     */
    private boolean poll(StepExecution manager, Run run, PartitionProgress progress) {
        StepExecution partition = run.attempt;
        Optional<ExecutionOwner> owner = this.owners.ownerOf(partition.getId());
        if (owner.isEmpty()) {
            if (!requestLost(run)) {
                return true;
            }
            if (++run.attempts > this.maxAttempts) {
                // Unless a worker claimed it meanwhile: then it runs, and the next poll sees it.
                boolean failed = markFailed(partition, "its requests were taken by processes that died before claiming it");
                if (failed) {
                    log.error("Partition {} FAILED: {} requests taken and never claimed (duckbatch.worker.max-attempts)",
                            partition.getStepName(), this.maxAttempts);
                }
                return !failed;
            }
            run.request = send(partition);
            log.warn("Partition {} ({}) requested again, attempt {} of {}: its request left the queue over {} s ago and no"
                    + " worker claimed it", partition.getStepName(), partition.getId(), run.attempts, this.maxAttempts,
                    this.owners.timeout().toMillis() / 1000.0);
            return true;
        }
        run.unclaimedSince = null;
        if (!this.owners.isGone(owner.get())) {
            progress.running(partition, owner);
            return true;
        }
        endSessions(partition, owner.get());
        if (!markFailed(partition, "its worker, " + owner.get() + ", is gone")) {
            return true;
        }
        progress.ended(partition, owner);
        if (++run.attempts > this.maxAttempts) {
            log.error("Partition {} FAILED: {} attempts' workers died (duckbatch.worker.max-attempts)",
                    partition.getStepName(), this.maxAttempts);
            return false;
        }
        run.attempt = runAgain(manager, partition, run.attempts, owner.get());
        run.request = send(run.attempt);
        return true;
    }

    /**
     * Whether the partition's request has been out of the queue, with nobody claiming the
     * partition, for the heartbeat timeout: a worker slot takes a request and claims its
     * partition at once, so the process that took it died in between.
     */
    private boolean requestLost(Run run) {
        if (this.requests.isQueued(run.request)) {
            run.unclaimedSince = null;
            return false;
        }
        long now = System.nanoTime();
        if (run.unclaimedSince == null) {
            run.unclaimedSince = now;
        }
        if (now - run.unclaimedSince < this.owners.timeout().toNanos()) {
            return false;
        }
        run.unclaimedSince = null;
        return true;
    }

    /** A new step execution of the dead attempt's partition, with its context (range, resume state). */
    private StepExecution runAgain(StepExecution manager, StepExecution dead, int attempt, ExecutionOwner gone) {
        StepExecution next = this.jobRepository.createStepExecution(dead.getStepName(), manager.getJobExecution());
        next.setExecutionContext(new ExecutionContext(dead.getExecutionContext()));
        this.jobRepository.updateExecutionContext(next);
        log.warn("Partition {} ({}) sent again as attempt {} of {} ({}): its worker, {}, is gone", dead.getStepName(),
                dead.getId(), attempt, this.maxAttempts, next.getId(), gone);
        return next;
    }

    /** Ends the gone worker's repository sessions first: one left in a transaction would hold the partition's row. */
    private void endSessions(StepExecution partition, ExecutionOwner gone) {
        int ended = this.owners.endSessions(gone);
        if (ended > 0) {
            log.warn("Partition {} ({}): ended {} repository session{} of its gone worker, {}", partition.getStepName(),
                    partition.getId(), ended, (ended == 1) ? "" : "s", gone);
        }
    }

    /**
     * Records an attempt FAILED, saying why; false when its worker updated it meanwhile
     * (alive after all, or ended: the next poll sees which).
     */
    private boolean markFailed(StepExecution partition, String why) {
        partition.setStatus(BatchStatus.FAILED);
        partition.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
        partition.setEndTime(LocalDateTime.now());
        try {
            this.jobRepository.update(partition);
            return true;
        }
        catch (OptimisticLockingFailureException ex) {
            return false;
        }
    }

    private UUID send(StepExecution partition) {
        return this.requests.send(this.workerStep, partition.getId());
    }

}
