package io.duckbatch.core.timing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Prints, when a job execution ends, the phase table summed over all its steps (every task
 * of a partitioned step included) and the phases the job's flow spent outside any step (a
 * dataset loaded once for the steps after it): thread time per phase, its share of all
 * phases' thread time, and the execution's wall time in the title. Each step's phases
 * are kept in its ExecutionContext by {@link PhaseTimingListener}, the flow's in the job
 * execution's, so they are also in the job repository afterwards. A distributed run's
 * partitions ran in worker processes, which recorded them: theirs are read from there
 * ({@link WorkingSteps#asRecorded}).
 */
public class JobPhaseSummary implements JobExecutionListener {

    private final JobRepository jobRepository;

    public JobPhaseSummary(JobRepository jobRepository) {
        this.jobRepository = jobRepository;
    }

    private static final Logger log = LoggerFactory.getLogger("io.duckbatch.timing");

    private static final String PREFIX = "duckbatch.phase.";

    private static final String CALLS = ".calls";

    private static final String NANOS = ".nanos";

    private static String key(String phase, String what) {
        return PREFIX + phase + what;
    }

    static void record(StepExecution stepExecution, List<SimplerTimer.PhaseStats> phases) {
        ExecutionContext context = stepExecution.getExecutionContext();
        for (SimplerTimer.PhaseStats phase : phases) {
            context.putLong(key(phase.phase(), CALLS), phase.calls());
            context.putLong(key(phase.phase(), NANOS), phase.totalNanos());
        }
    }

    /** Adds phases the job's flow spent outside any step (e.g. in a decider) to the execution's. */
    public static void add(JobExecution jobExecution, List<SimplerTimer.PhaseStats> phases) {
        ExecutionContext context = jobExecution.getExecutionContext();
        for (SimplerTimer.PhaseStats phase : phases) {
            String calls = key(phase.phase(), CALLS);
            String nanos = key(phase.phase(), NANOS);
            context.putLong(calls, context.getLong(calls, 0L) + phase.calls());
            context.putLong(nanos, context.getLong(nanos, 0L) + phase.totalNanos());
        }
    }

    /** The phases of an execution's flow and of {@code steps}, summed per phase in first-seen order. */
    private static List<SimplerTimer.PhaseStats> phases(JobExecution jobExecution, Collection<StepExecution> steps) {
        Map<String, long[]> totals = new LinkedHashMap<>();
        sum(jobExecution.getExecutionContext(), totals);
        for (StepExecution step : steps) {
            sum(step.getExecutionContext(), totals);
        }
        List<SimplerTimer.PhaseStats> phases = new ArrayList<>(totals.size());
        totals.forEach((phase, sum) -> phases.add(new SimplerTimer.PhaseStats(phase, sum[0], sum[1])));
        return phases;
    }

    private static void sum(ExecutionContext context, Map<String, long[]> totals) {
        for (Map.Entry<String, Object> entry : context.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(PREFIX) && key.endsWith(CALLS)) {
                String phase = key.substring(PREFIX.length(), key.length() - CALLS.length());
                long[] sum = totals.computeIfAbsent(phase, p -> new long[2]);
                sum[0] += ((Number) entry.getValue()).longValue();
                sum[1] += context.getLong(key(phase, NANOS), 0L);
            }
        }
    }

    /** A restarted execution starts with its predecessor's context: the flow's phases there are not this run's. */
    @Override
    public void beforeJob(JobExecution jobExecution) {
        ExecutionContext context = jobExecution.getExecutionContext();
        context.entrySet().stream().map(Map.Entry::getKey).filter(key -> key.startsWith(PREFIX)).toList().forEach(context::remove);
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        List<SimplerTimer.PhaseStats> phases = phases(jobExecution,
                WorkingSteps.asRecorded(jobExecution, this.jobRepository).getStepExecutions());
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
