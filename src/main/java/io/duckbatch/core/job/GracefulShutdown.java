package io.duckbatch.core.job;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.duckbatch.core.job.GracefulShutdown;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Ctrl-C or SIGTERM: before the application context closes (and with it the databases),
 * asks every execution this process is running to stop, and waits for them to end STOPPED
 * at a chunk boundary, so that the next run resumes them. It listens to every job to know
 * the live executions (the objects the job threads use: stopping those is what the steps
 * see), and waits at most the timeout it is given.
 */
public class GracefulShutdown implements SmartLifecycle, JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    private static final long POLL_MILLIS = 100;

    // Resolved at shutdown: asking for the JobOperator while the jobs are being created left
    // Spring Batch's job registry empty (restart then found no job).
    private final ObjectProvider<JobOperator> jobOperator;

    private final Duration timeout;

    private final Set<JobExecution> live = ConcurrentHashMap.newKeySet();

    private volatile boolean running;

    /**
     * @param jobOperator resolved at shutdown (see the field)
     * @param timeout how long to wait for the executions to stop
     */
    public GracefulShutdown(ObjectProvider<JobOperator> jobOperator, Duration timeout) {
        this.jobOperator = jobOperator;
        this.timeout = timeout;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        this.live.add(jobExecution);
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        this.live.remove(jobExecution);
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        long deadline = System.nanoTime() + this.timeout.toNanos();
        for (JobExecution execution : this.live) {
            try {
                log.info("Shutting down: stopping {} execution {} after its current chunk",
                        execution.getJobInstance().getJobName(), execution.getId());
                this.jobOperator.getObject().stop(execution);
            }
            catch (Exception ex) {
                log.warn("Could not stop execution {}: {}", execution.getId(), ex.getMessage());
            }
        }
        // Spring Batch 6 marks a stopped execution STOPPED at once; its steps notice at their next
        // chunk boundary. The job has ended when its afterJob ran, not when its status says so.
        for (JobExecution execution : this.live) {
            while (this.live.contains(execution) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(POLL_MILLIS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            log.info("Execution {} is {}; run the same command to resume it", execution.getId(), execution.getStatus());
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Stopped first, before anything the jobs use. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

}
