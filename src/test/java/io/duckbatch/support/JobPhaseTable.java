package io.duckbatch.support;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A job execution's phase table as the console shows it. */
public final class JobPhaseTable {

    private static final Pattern ROW = Pattern.compile("(?m)^  (\\w+)\\s+(\\d+)\\s+[\\d.]+\\s+[\\d.]+\\s+([\\d.]+)%$");

    private final String text;

    private JobPhaseTable(String text) {
        this.text = text;
    }

    /** The table of {@code job} execution {@code id} in {@code out}: its title, then its indented lines. */
    public static JobPhaseTable in(String out, String job, long id) {
        int start = out.indexOf("Phase timing for job " + job + " execution " + id + " ");
        assertThat(start).as("a phase table for %s execution %d in%n%s", job, id, out).isNotNegative();
        List<String> lines = out.substring(start).lines().toList();
        int end = 1;
        while (end < lines.size() && lines.get(end).startsWith("  ")) {
            end++;
        }
        return new JobPhaseTable(String.join("\n", lines.subList(0, end)));
    }

    /** The calls of a phase, or 0 when the table has no such row. */
    public long calls(String phase) {
        Matcher rows = ROW.matcher(this.text);
        while (rows.find()) {
            if (rows.group(1).equals(phase)) {
                return Long.parseLong(rows.group(2));
            }
        }
        return 0;
    }

    /** The shares of all rows added up, in percent. */
    public double shareSum() {
        Matcher rows = ROW.matcher(this.text);
        double sum = 0;
        while (rows.find()) {
            sum += Double.parseDouble(rows.group(3));
        }
        return sum;
    }

    @Override
    public String toString() {
        return this.text;
    }

}
