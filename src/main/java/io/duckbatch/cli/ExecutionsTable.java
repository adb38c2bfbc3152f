package io.duckbatch.cli;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.duckbatch.core.timing.WorkingSteps;

import org.springframework.batch.core.job.JobExecution;

/** Formats job executions as the table the {@code executions} verb prints. */
final class ExecutionsTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static final String ROW = "%6s  %-18s %-10s %-19s  %-19s  %12s %12s %8s %9s  %s%n";

    private ExecutionsTable() {
    }

    static String format(List<JobExecution> executions) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, ROW, "id", "job", "status", "start", "end", "read", "written",
                "skipped", "duration", "parameters"));
        for (JobExecution execution : executions) {
            out.append(String.format(Locale.ROOT, ROW, execution.getId(), execution.getJobInstance().getJobName(),
                    execution.getStatus(), time(execution.getStartTime()), time(execution.getEndTime()),
                    String.format(Locale.ROOT, "%,d", WorkingSteps.rowsRead(execution)),
                    String.format(Locale.ROOT, "%,d", WorkingSteps.rowsWritten(execution)),
                    String.format(Locale.ROOT, "%,d", WorkingSteps.rowsSkipped(execution)), duration(execution),
                    parameters(execution)));
        }
        return out.toString();
    }

    private static String time(LocalDateTime time) {
        return (time != null) ? TIME.format(time) : "-";
    }

    private static String duration(JobExecution execution) {
        if (execution.getStartTime() == null || execution.getEndTime() == null) {
            return "-";
        }
        Duration took = Duration.between(execution.getStartTime(), execution.getEndTime());
        return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
    }

    private static String parameters(JobExecution execution) {
        return execution.getJobParameters()
            .getIdentifyingParameters()
            .stream()
            .map(parameter -> parameter.name() + "=" + parameter.value())
            .sorted()
            .collect(Collectors.joining(" "));
    }

}
