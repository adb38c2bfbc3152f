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
        if (now - this.lastReportNanos >= this.intervalNanos) {
            this.lastReportNanos = now;
            report(done, total, rate);
        }
    }

    private long rowsToRead() {
        return this.stepExecution.getExecutionContext().getLong(this.rowsToReadKey, 0L);
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        long elapsed = System.nanoTime() - this.startNanos;
        this.progress.update(stepExecution.getReadCount(), Math.max(rowsToRead(), stepExecution.getReadCount()),
                rate(stepExecution.getReadCount(), elapsed));
        if (WorkingSteps.notStarted(stepExecution)) {
            return null; // the job's last lines count such tasks
        }
        log.info(String.format(Locale.ROOT, "[%s] %s: %,d rows read, %,d written in %.1f s (%,.0f rows/s)",
                stepExecution.getStepName(), stepExecution.getStatus(), stepExecution.getReadCount(),
                stepExecution.getWriteCount(), elapsed / 1e9, rate(stepExecution.getReadCount(), elapsed)));
        return null;
    }

    private void report(long done, long total, double rate) {
        String eta = (rate > 0 && total >= done) ? String.format(Locale.ROOT, "%.0f s", (total - done) / rate) : "?";
        double percent = (total > 0) ? 100.0 * done / total : 100.0;
        log.info(String.format(Locale.ROOT, "[%s] %,d / %,d rows (%.1f%%), %,.0f rows/s, ETA %s",
                this.stepExecution.getStepName(), done, total, percent, rate, eta));
    }

    private static double rate(long rows, long nanos) {
        return (nanos > 0) ? rows * 1e9 / nanos : 0;
    }

}
