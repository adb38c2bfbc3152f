package io.duckbatch.core.timing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * A step's progress as Micrometer gauges, tagged {@code job.name} and {@code step.name}:
 * {@code duckbatch.step.rows.done}, {@code duckbatch.step.rows.planned} (the rows this run has
 * to read) and {@code duckbatch.step.rows.per.second}. A step run again in the same process
 * reuses its gauges; they keep the last values after the step ends. (Not "total": Prometheus
 * reserves the {@code _total} suffix for counters.) And one counter,
 * {@code duckbatch.step.rows.skipped}: rows a step rejected into its job's dead-letter table,
 * or set aside itself (an import's rejected lines, counted when its step ends). On the manager
 * of a distributed run, the partitions' gauges follow what the workers record in the job
 * repository, and two counters, {@code duckbatch.worker.rows.read} and
 * {@code duckbatch.worker.rows.written}, tagged {@code job.name}, {@code host} and {@code pid},
 * count the rows each worker process recorded.
 */
public class ProgressMeters {

    public static final String ROWS_DONE = "duckbatch.step.rows.done";

    public static final String ROWS_PLANNED = "duckbatch.step.rows.planned";

    public static final String ROWS_PER_SECOND = "duckbatch.step.rows.per.second";

    public static final String ROWS_SKIPPED = "duckbatch.step.rows.skipped";

    public static final String WORKER_ROWS_READ = "duckbatch.worker.rows.read";

    public static final String WORKER_ROWS_WRITTEN = "duckbatch.worker.rows.written";

    private final MeterRegistry registry;

    // Held strongly: gauges keep only a weak reference to what they read.
    private final Map<List<String>, Progress> steps = new ConcurrentHashMap<>();

    public ProgressMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The progress holder of one step; registers its gauges the first time. */
    public Progress forStep(String job, String step) {
        return this.steps.computeIfAbsent(List.of(job, step), key -> register(job, step));
    }

    /** The counter of rows the step rejected (dead-lettered instead of failing); the same one each time. */
    public Counter skipped(String job, String step) {
        return Counter.builder(ROWS_SKIPPED)
            .description("Rows a duckbatch step rejected into its job's dead-letter table <job>_rejects or its own rejects table")
            .tags(PhaseMeters.JOB_TAG, job, PhaseMeters.STEP_TAG, step)
            .register(this.registry);
    }

    /** The counter of rows a worker process (host, pid) read, or wrote, for a job's partitions; the same one each time. */
    public Counter workerRows(String job, String host, long pid, boolean written) {
        return Counter.builder(written ? WORKER_ROWS_WRITTEN : WORKER_ROWS_READ)
            .description("Rows a duckbatch worker process " + (written ? "wrote" : "read") + " for a job's partitions, as its"
                    + " manager saw them recorded in the job repository")
            .tags(PhaseMeters.JOB_TAG, job, "host", host, "pid", Long.toString(pid))
            .register(this.registry);
    }

    private Progress register(String job, String step) {
        Progress progress = new Progress();
        Tags tags = Tags.of(PhaseMeters.JOB_TAG, job, PhaseMeters.STEP_TAG, step);
        Gauge.builder(ROWS_DONE, progress, p -> p.done)
            .description("Rows a duckbatch step has read in this run")
            .tags(tags)
            .register(this.registry);
        Gauge.builder(ROWS_PLANNED, progress, p -> p.total)
            .description("Rows a duckbatch step has to read in this run")
            .tags(tags)
            .register(this.registry);
        Gauge.builder(ROWS_PER_SECOND, progress, p -> p.rowsPerSecond)
            .description("Rows per second a duckbatch step has read since it started")
            .tags(tags)
            .register(this.registry);
        return progress;
    }

    /** Written by the step's thread after each chunk, read by scrapes. */
    public static final class Progress {

        private volatile double done;

        private volatile double total;

        private volatile double rowsPerSecond;

        public void update(long done, long total, double rowsPerSecond) {
            this.done = done;
            this.total = total;
            this.rowsPerSecond = rowsPerSecond;
        }

    }

}
