package io.duckbatch.core.remote;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.duckbatch.core.resume.ExecutionOwner;
import io.duckbatch.core.timing.ProgressListener;
import io.duckbatch.core.timing.ProgressMeters;

import io.micrometer.core.instrument.Counter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.step.StepExecution;

/**
 * What the workers of a distributed step do, told on the manager from what they record in
 * the job repository, which {@link RemotePartitionHandler} reads every poll: a running
 * partition's progress line at most once per interval and its {@link ProgressMeters} gauges;
 * each attempt's end, naming the worker that ran it; the rows each worker process read and
 * wrote, in counters tagged with its host and pid; and, when the step ends, one line per
 * worker. Rates and times are the manager's: from when it first saw the partition claimed.
 * One instance serves one manager step execution, on the handler's thread.
 */
public final class PartitionProgress {

    private static final Logger log = LoggerFactory.getLogger("io.duckbatch.progress");

    private final ProgressMeters meters;

    private final long intervalNanos;

    /** By step execution id: each attempt as last seen. */
    private final Map<Long, Attempt> attempts = new HashMap<>();

    /** By "pid N on host": what each worker process did, in the order they first claimed. */
    private final Map<String, Worker> workers = new LinkedHashMap<>();

    /** @param interval the least time between two progress lines of one partition ({@code duckbatch.progress-interval}) */
    public PartitionProgress(ProgressMeters meters, Duration interval) {
        if (meters == null || interval == null || interval.isNegative()) {
            throw new IllegalArgumentException("Partition progress needs the progress meters and an interval of 0 or more"
                    + " (duckbatch.progress-interval), was " + interval);
        }
        this.meters = meters;
        this.intervalNanos = interval.toNanos();
    }

    private static final class Attempt {

        private final Worker worker;

        private final ProgressMeters.Progress gauges;

        private final long firstSeenNanos;

        private long lastReportNanos;

        private long read;

        private long written;

        private Attempt(Worker worker, ProgressMeters.Progress gauges, long now) {
            this.worker = worker;
            this.gauges = gauges;
            this.firstSeenNanos = now;
            this.lastReportNanos = now;
        }

    }

    private static final class Worker {

        private final String name;

        private final Counter read;

        private final Counter written;

        private int partitions;

        private long rowsRead;

        private long rowsWritten;

        private Worker(String name, Counter read, Counter written) {
            this.name = name;
            this.read = read;
            this.written = written;
        }

    }

    /** A partition attempt still running, as just read from the repository, and its claim's owner if it has one. */
    void running(StepExecution partition, Optional<ExecutionOwner> owner) {
        Attempt attempt = seen(partition, owner);
        if (attempt == null) {
            return;
        }
        long now = System.nanoTime();
        long planned = ProgressListener.rowsPlanned(partition);
        double rate = ProgressListener.rate(attempt.read, now - attempt.firstSeenNanos);
        attempt.gauges.update(attempt.read, planned, rate);
        if (now - attempt.lastReportNanos >= this.intervalNanos && attempt.read > 0) {
            attempt.lastReportNanos = now;
            log.info("{} on worker {}", ProgressListener.progressLine(partition.getStepName(), attempt.read, planned, rate),
                    attempt.worker.name);
        }
    }

    /** A partition attempt that has ended (or been given up), as just read from the repository, and its claim's owner. */
    void ended(StepExecution partition, Optional<ExecutionOwner> owner) {
        Attempt attempt = seen(partition, owner);
        if (attempt == null) {
            return;
        }
        long elapsed = System.nanoTime() - attempt.firstSeenNanos;
        attempt.gauges.update(attempt.read, Math.max(attempt.read, ProgressListener.rowsPlanned(partition)),
                ProgressListener.rate(attempt.read, elapsed));
        attempt.worker.partitions++;
        log.info("{} on worker {}", ProgressListener.endLine(partition, elapsed), attempt.worker.name);
    }

    /** One line per worker process that claimed a partition of the step, once it has ended. */
    void summary(String step) {
        for (Worker worker : this.workers.values()) {
            log.info(String.format(Locale.ROOT, "[%s] worker %s: %,d partition attempt%s, %,d rows read, %,d written", step,
                    worker.name, worker.partitions, (worker.partitions == 1) ? "" : "s", worker.rowsRead,
                    worker.rowsWritten));
        }
    }

    /**
     * The attempt, its worker's counters moved on by the rows recorded since the last look;
     * null while no worker has claimed it.
     */
    private Attempt seen(StepExecution partition, Optional<ExecutionOwner> owner) {
        Attempt attempt = this.attempts.get(partition.getId());
        if (attempt == null) {
            if (owner.isEmpty()) {
                return null;
            }
            String job = partition.getJobExecution().getJobInstance().getJobName();
            String name = "pid " + owner.get().pid() + " on " + owner.get().host();
            Worker worker = this.workers.computeIfAbsent(name, key -> new Worker(key,
                    this.meters.workerRows(job, owner.get().host(), owner.get().pid(), false),
                    this.meters.workerRows(job, owner.get().host(), owner.get().pid(), true)));
            attempt = new Attempt(worker, this.meters.forStep(job, partition.getStepName()), System.nanoTime());
            this.attempts.put(partition.getId(), attempt);
        }
        long read = partition.getReadCount() - attempt.read;
        long written = partition.getWriteCount() - attempt.written;
        attempt.read = partition.getReadCount();
        attempt.written = partition.getWriteCount();
        attempt.worker.rowsRead += read;
        attempt.worker.rowsWritten += written;
        attempt.worker.read.increment(read);
        attempt.worker.written.increment(written);
        return attempt;
    }

}
