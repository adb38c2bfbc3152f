package io.duckbatch.core.timing;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

/**
 * Rule 12 at step level: after every chunk, moves what the step's {@link SimplerTimer}
 * measured into {@link PhaseMeters} (so a scrape sees a running step move); at step end,
 * prints the phase table: phase, calls, total, mean and share of the step's wall time (not
 * for a task a stop reached before its first chunk).
 * StepRecipes registers one per step execution; it finds the step's timer in
 * {@link StepTimers}.
 */
public class PhaseTimingListener implements StepExecutionListener, ChunkListener<Object, Object> {

    private static final Logger log = LoggerFactory.getLogger("io.duckbatch.timing");

    private final StepTimers timers;

    private final PhaseMeters meters;

    private SimplerTimer timer;

    private final Map<String, SimplerTimer.PhaseStats> published = new HashMap<>();

    private StepExecution stepExecution;

    public PhaseTimingListener(StepTimers timers, PhaseMeters meters) {
        this.timers = timers;
        this.meters = meters;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        this.stepExecution = stepExecution;
        this.timer = this.timers.forStep(stepExecution);
    }

    @Override
    public void afterChunk(Chunk<Object> chunk) {
        publish();
    }

    /** A tasklet step's chunk (one tasklet call): Spring Batch calls this overload there, not the one above. */
    @Override
    public void afterChunk(ChunkContext context) {
        publish();
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        publish();
        this.timers.release(stepExecution);
        JobPhaseSummary.record(stepExecution, this.timer.snapshot());
        if (WorkingSteps.notStarted(stepExecution)) {
            return null; // the job's last lines count such tasks; their phases are in the job's table
        }
        LocalDateTime start = stepExecution.getStartTime();
        long wallNanos = (start != null) ? Duration.between(start, LocalDateTime.now()).toNanos() : this.timer.elapsedNanos();
        log.info("{}", table(stepExecution.getStepName(), this.timer.snapshot(), wallNanos));
        return null;
    }

    private void publish() {
        if (this.timer == null) {
            return;
        }
        String job = this.stepExecution.getJobExecution().getJobInstance().getJobName();
        String step = this.stepExecution.getStepName();
        for (SimplerTimer.PhaseStats now : this.timer.snapshot()) {
            SimplerTimer.PhaseStats before = this.published.get(now.phase());
            long calls = now.calls() - ((before != null) ? before.calls() : 0);
            long nanos = now.totalNanos() - ((before != null) ? before.totalNanos() : 0);
            if (calls > 0) {
                this.meters.add(job, step, now.phase(), calls, nanos);
                this.published.put(now.phase(), now);
            }
        }
    }

    /** The printed table; public so other reports (a job summary, the benchmark) share one format. */
    public static String table(String title, List<SimplerTimer.PhaseStats> phases, long wallNanos) {
        StringBuilder out = new StringBuilder(256);
        out.append(String.format(Locale.ROOT, "Phase timing for %s (%.2f s)%n", title, wallNanos / 1e9));
        out.append(String.format(Locale.ROOT, "  %-12s %12s %12s %12s %8s", "phase", "calls", "total s", "mean ms", "share"));
        for (SimplerTimer.PhaseStats phase : phases) {
            double share = (wallNanos > 0) ? 100.0 * phase.totalNanos() / wallNanos : 0;
            out.append(String.format(Locale.ROOT, "%n  %-12s %12d %12.3f %12.4f %7.1f%%", phase.phase(), phase.calls(),
                    phase.totalNanos() / 1e9, phase.meanMillis(), share));
        }
        return out.toString();
    }

}
