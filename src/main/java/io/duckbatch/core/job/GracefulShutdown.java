package io.duckbatch.core.job;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

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
 * at a chunk boundary, so that the next run resumes them, and for the command line to have
 * reported them (their last line). It listens to every job to know the live executions (the
 * objects the job threads use: stopping those is what the steps see); a job that starts
 * once the shutdown has begun is stopped as it starts. It waits at most the timeout it is
 * given.
 */
public class GracefulShutdown implements SmartLifecycle, JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    // Resolved at shutdown: asking for the JobOperator while the jobs are being created left
    // Spring Batch's job registry empty (restart then found no job).
    private final ObjectProvider<JobOperator> jobOperator;

    private final Duration timeout;

    // All guarded by this.
    private final Set<JobExecution> live = new HashSet<>();

    private int reporting;

    private boolean shuttingDown;

    private volatile boolean running;

    /**
     * @param jobOperator resolved at shutdown (see the field)
     * @param timeout how long to wait for the executions to stop
     */
    public GracefulShutdown(ObjectProvider<JobOperator> jobOperator, Duration timeout) {
        this.jobOperator = jobOperator;
        this.timeout = timeout;
    }

    /**
     * Runs a job's launch and the report of its outcome: a shutdown waits for both, so that
     * the report is the run's last line.
     */
    public <T> T launchAndReport(Callable<T> launch) throws Exception {
        synchronized (this) {
            this.reporting++;
        }
        try {
            return launch.call();
        }
        finally {
            synchronized (this) {
                this.reporting--;
                notifyAll();
            }
        }
    }

    @Override
    public synchronized void beforeJob(JobExecution jobExecution) {
        this.live.add(jobExecution);
        if (this.shuttingDown) {
            stop(jobExecution);
        }
    }

    @Override
    public synchronized void afterJob(JobExecution jobExecution) {
        this.live.remove(jobExecution);
        notifyAll();
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public synchronized void stop() {
        this.running = false;
        this.shuttingDown = true;
        this.live.forEach(this::stop);
        long deadline = System.nanoTime() + this.timeout.toNanos();
        // Spring Batch 6 marks a stopped execution STOPPED at once; its steps notice at their next
        // chunk boundary. The job has ended when its afterJob ran, not when its status says so.
        while (!this.live.isEmpty() || this.reporting > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                for (JobExecution execution : List.copyOf(this.live)) {
                    log.warn("{} execution {} did not stop within the shutdown timeout ({}); the next run recovers it",
                            execution.getJobInstance().getJobName(), execution.getId(), this.timeout);
                }
                return;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void stop(JobExecution execution) {
        try {
            log.info("Shutting down: stopping {} execution {} after its current chunk",
                    execution.getJobInstance().getJobName(), execution.getId());
            this.jobOperator.getObject().stop(execution);
        }
        catch (Exception ex) {
            log.warn("Could not stop execution {}: {}", execution.getId(), ex.getMessage());
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
