package io.duckbatch.core.timing;

import java.time.Duration;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * A step's progress: after every chunk into {@link ProgressMeters} gauges (rows done, rows
 * this run has to read, rows per second), and on the console at most once per interval, with
 * the time left at that rate; and one line when the step ends, unless a stop reached it
 * before its first chunk.
 */
public class ProgressListener implements StepExecutionListener, ChunkListener<Object, Object> {

    private static final Logger log = LoggerFactory.getLogger("io.duckbatch.progress");

    /**
     * Step ExecutionContext: the rows this run of the step has to read, under one key
     * whatever its reader's, so that a distributed run's manager can tell a worker's progress.
     */
    public static final String ROWS_PLANNED_KEY = "duckbatch.progress.rows.planned";

    private final String rowsToReadKey;

    private final long intervalNanos;

    private final ProgressMeters meters;

    private StepExecution stepExecution;

    private ProgressMeters.Progress progress;

    private long startNanos;

    private long lastReportNanos;

    /**
     * @param rowsToReadKey the step ExecutionContext key where the reader records the rows
     * this run will read (e.g. {@code KeysetItemReader.rowsToReadKey(name)})
     * @param interval the least time between two progress lines
     * @param meters where the gauges are
     */
    public ProgressListener(String rowsToReadKey, Duration interval, ProgressMeters meters) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("progress interval must not be negative, was " + interval);
        }
        this.rowsToReadKey = rowsToReadKey;
        this.intervalNanos = interval.toNanos();
        this.meters = meters;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        this.stepExecution = stepExecution;
        this.startNanos = System.nanoTime();
        this.lastReportNanos = this.startNanos;
        this.progress = this.meters.forStep(stepExecution.getJobExecution().getJobInstance().getJobName(),
                stepExecution.getStepName());
        this.progress.update(0, 0, 0);
    }

    @Override
    public void afterChunk(Chunk<Object> chunk) {
        progress();
    }

    /** A tasklet step's chunk (one tasklet call): Spring Batch calls this overload there, not the one above. */
    @Override
    public void afterChunk(ChunkContext context) {
        progress();
    }

    private void progress() {
        long now = System.nanoTime();
        long done = this.stepExecution.getReadCount();
        long total = rowsToRead();
        double rate = rate(done, now - this.startNanos);
        this.progress.update(done, total, rate);
        this.stepExecution.getExecutionContext().putLong(ROWS_PLANNED_KEY, total);
        if (now - this.lastReportNanos >= this.intervalNanos) {
            this.lastReportNanos = now;
            log.info(progressLine(this.stepExecution.getStepName(), done, total, rate));
        }
    }

    private long rowsToRead() {
        return this.stepExecution.getExecutionContext().getLong(this.rowsToReadKey, 0L);
    }

    /** The rows a step has to read as its last chunk recorded them ({@link #ROWS_PLANNED_KEY}); 0 before. */
    public static long rowsPlanned(StepExecution stepExecution) {
        return stepExecution.getExecutionContext().getLong(ROWS_PLANNED_KEY, 0L);
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        long elapsed = System.nanoTime() - this.startNanos;
        this.progress.update(stepExecution.getReadCount(), Math.max(rowsToRead(), stepExecution.getReadCount()),
                rate(stepExecution.getReadCount(), elapsed));
        if (WorkingSteps.notStarted(stepExecution)) {
            return null; // the job's last lines count such tasks
        }
        log.info(endLine(stepExecution, elapsed));
        return null;
    }

    /** "[step] 2,048 / 5,000 rows (41.0%), 3,100 rows/s, ETA 1 s" */
    public static String progressLine(String step, long done, long total, double rate) {
        String eta = (rate > 0 && total >= done) ? String.format(Locale.ROOT, "%.0f s", (total - done) / rate) : "?";
        double percent = (total > 0) ? 100.0 * done / total : 100.0;
        return String.format(Locale.ROOT, "[%s] %,d / %,d rows (%.1f%%), %,.0f rows/s, ETA %s", step, done, total, percent,
                rate, eta);
    }

    /** "[step] COMPLETED: 5,000 rows read, 3,651 written in 1.3 s (3,854 rows/s)" */
    public static String endLine(StepExecution step, long elapsedNanos) {
        return String.format(Locale.ROOT, "[%s] %s: %,d rows read, %,d written in %.1f s (%,.0f rows/s)", step.getStepName(),
                step.getStatus(), step.getReadCount(), step.getWriteCount(), elapsedNanos / 1e9,
                rate(step.getReadCount(), elapsedNanos));
    }

    /** Rows per second. */
    public static double rate(long rows, long nanos) {
        return (nanos > 0) ? rows * 1e9 / nanos : 0;
    }

}
