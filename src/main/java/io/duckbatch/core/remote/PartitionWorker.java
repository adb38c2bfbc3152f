package io.duckbatch.core.remote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.duckbatch.core.resume.ExecutionOwnerRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepLocator;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.messaging.Message;

/**
 * A remote-partitioning worker: {@code slots} threads, each taking one partition request at a
 * time from {@link PartitionRequests} when it is free and running it with Spring Batch's own
 * {@link StepExecutionRequestHandler}, until {@link #stop()}.
 *
 * <p>Restart contract: a request runs its partition only when the step execution is still
 * {@code STARTING} and this process wins the claim on it in {@code PARTITION_OWNER}
 * ({@link ExecutionOwnerRegistry#forPartitions}); a second delivery of the same request, or a
 * request for a partition that ran, is dropped with a log line. {@link #stop()} (SIGTERM)
 * asks the running partitions to stop at their next chunk boundary: they end {@code STOPPED},
 * the manager's step and job end {@code STOPPED}, and the manager's next run restarts them
 * (each resumes after what its shard holds). While a partition runs, its claim's heartbeat
 * tells the manager this worker is alive; once it is silent (or, on the manager's host, its
 * pid gone) the manager runs the partition again ({@link RemotePartitionHandler}).
 */
public final class PartitionWorker {

    private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);

    private final PartitionRequests requests;

    private final JobRepository jobRepository;

    private final ExecutionOwnerRegistry owners;

    private final StepLocator steps;

    private final int slots;

    private final Duration pollInterval;

    private final Set<StepExecution> running = ConcurrentHashMap.newKeySet();

    private final List<Thread> threads = new ArrayList<>();

    private volatile boolean stopping;

    /**
     * @param steps the worker steps by name (the manager's requests name them)
     * @param slots partitions run at once
     * @param pollInterval how long a free slot waits for a request before asking again
     */
    public PartitionWorker(PartitionRequests requests, JobRepository jobRepository, ExecutionOwnerRegistry owners,
            StepLocator steps, int slots, Duration pollInterval) {
        if (slots < 1) {
            throw new IllegalArgumentException("A worker needs at least 1 slot (duckbatch.worker.slots), was " + slots);
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("A worker needs a poll interval above zero (duckbatch.worker.poll-interval), was "
                    + pollInterval);
        }
        this.requests = requests;
        this.jobRepository = jobRepository;
        this.owners = owners;
        this.steps = steps;
        this.slots = slots;
        this.pollInterval = pollInterval;
    }

    /** Starts the slots and returns once they have all ended, after {@link #stop()}. */
    public void run() throws InterruptedException {
        StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
        handler.setJobRepository(this.jobRepository);
        handler.setStepLocator(this::tracked);
        synchronized (this.threads) {
            for (int slot = 1; slot <= this.slots; slot++) {
                Thread thread = new Thread(() -> serve(handler), "duckbatch-worker-" + slot);
                this.threads.add(thread);
                thread.start();
            }
        }
        log.info("Worker pid {} waiting for partitions with {} slots", ProcessHandle.current().pid(), this.slots);
        for (Thread thread : List.copyOf(this.threads)) {
            thread.join();
        }
    }

    /** Takes no more requests and stops the running partitions at their next chunk boundary. */
    public void stop() {
        this.stopping = true;
        this.running.forEach(StepExecution::setTerminateOnly);
    }

    private void serve(StepExecutionRequestHandler handler) {
        while (!this.stopping) {
            try {
                Message<?> message = this.requests.channel().receive(this.pollInterval.toMillis());
                if (message != null && message.getPayload() instanceof StepExecutionRequest request && claim(request)) {
                    try {
                        handler.handle(request);
                    }
                    finally {
                        this.owners.release(request.getStepExecutionId());
                    }
                }
            }
            catch (RuntimeException ex) {
                // An unreadable request or an unreachable repository: the slot stays, the next poll tries again.
                log.warn("Worker slot {}: {}", Thread.currentThread().getName(), ex.getMessage(), ex);
                sleepQuietly();
            }
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(this.pollInterval.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            this.stopping = true;
        }
    }

    /** Whether the request's partition is this worker's to run: still waiting to start, and claimed here. */
    private boolean claim(StepExecutionRequest request) {
        StepExecution execution = this.jobRepository.getStepExecution(request.getStepExecutionId());
        if (execution == null || execution.getStatus() != BatchStatus.STARTING) {
            log.info("Request for partition {} dropped: it is {}", request.getStepExecutionId(),
                    (execution == null) ? "unknown to the job repository" : execution.getStatus());
            return false;
        }
        if (!this.owners.claim(request.getStepExecutionId())) {
            log.info("Request for partition {} dropped: another delivery claimed it", request.getStepExecutionId());
            return false;
        }
        log.info("Partition {} ({}) claimed by worker pid {}", execution.getStepName(), execution.getId(),
                ProcessHandle.current().pid());
        return true;
    }

    /** The step, which records the executions it runs so that {@link #stop()} can reach them. */
    private Step tracked(String name) {
        Step step = this.steps.getStep(name);
        return new Step() {

            @Override
            public String getName() {
                return step.getName();
            }

            @Override
            public void execute(StepExecution execution) throws JobInterruptedException {
                // Read again by the handler after the claim: a relaunched manager may have marked it FAILED since.
                if (execution.getStatus() != BatchStatus.STARTING) {
                    log.info("Partition {} ({}) not run: it is {}", execution.getStepName(), execution.getId(),
                            execution.getStatus());
                    return;
                }
                PartitionWorker.this.running.add(execution);
                try {
                    if (PartitionWorker.this.stopping) {
                        execution.setTerminateOnly();
                    }
                    step.execute(execution);
                }
                finally {
                    PartitionWorker.this.running.remove(execution);
                }
            }

        };
    }

}
