package io.duckbatch.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.duckbatch.core.timing.WorkingSteps;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * The last lines of a job run, whatever its outcome: how many tasks a stop reached before
 * they started, if any; then the execution's status, how long it ran, the rows its tasks
 * read and wrote and where to, and what to do next.
 */
final class RunSummary {

    private RunSummary() {
    }

    /** @param logFile where the details of a failure are */
    static List<String> lines(JobExecution execution, Path target, Path logFile) {
        List<String> lines = new ArrayList<>(2);
        long notStarted = WorkingSteps.notStarted(execution);
        if (notStarted > 0) {
            lines.add(String.format(Locale.ROOT, "%,d task%s not started", notStarted, (notStarted == 1) ? "" : "s"));
        }
        BatchStatus status = execution.getStatus();
        String next = switch (status) {
            case COMPLETED -> "";
            case STOPPED -> "; run the same command to resume";
            default -> "; fix the cause, then run the same command to resume (details: " + logFile + ")";
        };
        lines.add(String.format(Locale.ROOT, "%s execution %d %s %s %s s: %,d rows read, %,d written to %s%s",
                execution.getJobInstance().getJobName(), execution.getId(), status,
                (status == BatchStatus.COMPLETED) ? "in" : "after", seconds(execution), WorkingSteps.rowsRead(execution),
                WorkingSteps.rowsWritten(execution), target.toAbsolutePath().normalize(), next));
        return lines;
    }

    private static String seconds(JobExecution execution) {
        Duration took = (execution.getStartTime() != null && execution.getEndTime() != null)
                ? Duration.between(execution.getStartTime(), execution.getEndTime()) : Duration.ZERO;
        return String.valueOf(took.toMillis() / 1000.0);
    }

}
