package io.duckbatch.core.timing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Prints, when a job execution ends, the phase table summed over all its steps (every task
 * of a partitioned step included): thread time per phase, its share of all phases' thread
 * time, and the execution's wall time in the title. Each step's phases
 * are kept in its ExecutionContext by {@link PhaseTimingListener}, so they are also in the
 * job repository afterwards.
 */
public class JobPhaseSummary implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger("io.duckbatch.timing");

    private static final String PREFIX = "duckbatch.phase.";

    static void record(StepExecution stepExecution, List<SimplerTimer.PhaseStats> phases) {
        ExecutionContext context = stepExecution.getExecutionContext();
        for (SimplerTimer.PhaseStats phase : phases) {
            context.putLong(PREFIX + phase.phase() + ".calls", phase.calls());
            context.putLong(PREFIX + phase.phase() + ".nanos", phase.totalNanos());
        }
    }

    /** The phases of all steps of an execution, summed per phase in first-seen order. */
    public static List<SimplerTimer.PhaseStats> phases(JobExecution jobExecution) {
        Map<String, long[]> totals = new LinkedHashMap<>();
        for (StepExecution step : jobExecution.getStepExecutions()) {
            for (Map.Entry<String, Object> entry : step.getExecutionContext().entrySet()) {
                String key = entry.getKey();
                if (key.startsWith(PREFIX) && key.endsWith(".calls")) {
                    String phase = key.substring(PREFIX.length(), key.length() - ".calls".length());
                    long[] sum = totals.computeIfAbsent(phase, p -> new long[2]);
                    sum[0] += ((Number) entry.getValue()).longValue();
                    sum[1] += step.getExecutionContext().getLong(PREFIX + phase + ".nanos", 0L);
                }
            }
        }
        List<SimplerTimer.PhaseStats> phases = new ArrayList<>(totals.size());
        totals.forEach((phase, sum) -> phases.add(new SimplerTimer.PhaseStats(phase, sum[0], sum[1])));
        return phases;
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        List<SimplerTimer.PhaseStats> phases = phases(jobExecution);
        if (phases.isEmpty() || jobExecution.getStartTime() == null) {
            return;
        }
        long wallNanos = Duration.between(jobExecution.getStartTime(), java.time.LocalDateTime.now()).toNanos();
        // Tasks run side by side: shares are of the thread time summed over them, which the
        // title gives beside the wall time, so that they add up to 100%.
        long threadNanos = phases.stream().mapToLong(SimplerTimer.PhaseStats::totalNanos).sum();
        log.info("{}", PhaseTimingListener.table(String.format(java.util.Locale.ROOT,
                "job %s execution %d (wall %.2f s), thread time in phases", jobExecution.getJobInstance().getJobName(),
                jobExecution.getId(), wallNanos / 1e9), phases, threadNanos));
    }

}
