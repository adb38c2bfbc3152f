package io.duckbatch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.ExpectedScores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench} on a tiny demo: every mode runs, the table, the CPU and RSS lines and the
 * ratio lines come out, and the measured runs' lines go to the log file only.
 */
@ExtendWith(OutputCaptureExtension.class)
class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsEveryModeThenTheRatioLinesLast(CapturedOutput output) throws Exception {
        assertThat(DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "--duckbatch.page-size=500",
                "--duckbatch.concurrency=2", "bench", "--rows", "1000", "--keyset-rows", "5000")).isZero();
        String out = output.getOut();
        // Peak RSS needs the high-water mark reset; without it the bench says n/a, not a number.
        String peakRss = Files.isWritable(Path.of("/proc/self/clear_refs")) ? "\\d+ MB" : "n/a";
        for (String mode : List.of("stock", "chunk", "udf", "sql", "vector", "appender", "executeBatch")) {
            assertThat(out).containsPattern("(?m)^" + mode + "\\s+[\\d,]+\\s+\\d+\\.\\d\\d\\s+[\\d,]+\\s+[\\d.]+\\s+" + peakRss
                    + "\\s+\\d+ MB  \\S");
        }
        // 1,000 companies x 20 codes read by each job mode.
        assertThat(out).containsPattern("(?m)^chunk\\s+20,000 ").containsPattern("(?m)^udf\\s+20,000 ")
            .containsPattern("(?m)^sql\\s+20,000 ");
        boolean rssMeasured = peakRss.startsWith("\\d");
        for (String mode : List.of("stock", "chunk", "udf", "sql")) {
            assertThat(number(out, "cpu_seconds_per_million " + mode)).isPositive();
            if (rssMeasured) {
                assertThat(number(out, "peak_rss_mb " + mode)).isPositive();
            }
            else {
                assertThat(out).contains("peak_rss_mb " + mode + " n/a").contains("peak RSS not measured: writing 5 to");
            }
        }
        List<String> lines = Arrays.stream(out.split("\\R")).filter(line -> !line.isBlank()).toList();
        List<String> last = lines.subList(lines.size() - 9, lines.size() - 3);
        assertThat(last.get(0)).matches("ratio chunk_vs_stock \\d+\\.\\d\\d");
        assertThat(last.get(1)).matches("ratio udf_vs_sql \\d+\\.\\d\\d");
        assertThat(last.get(2)).matches("ratio chunk_vs_sql \\d+\\.\\d\\d");
        assertThat(last.get(3)).matches("ratio appender_vs_executebatch \\d+\\.\\d\\d");
        assertThat(last.get(4)).matches("ratio vector_vs_appender \\d+\\.\\d\\d");
        assertThat(last.get(5)).matches(rssMeasured ? "ratio chunk_rss_vs_udf \\d+\\.\\d\\d" : "ratio chunk_rss_vs_udf n/a");
        if (rssMeasured) {
            assertThat(number(out, "ratio chunk_rss_vs_udf")).isPositive();
        }
        assertThat(lines.get(lines.size() - 3)).matches(
                "refresh after 1% of 1,000 companies changed: full run \\d+\\.\\d\\d s, incremental run \\d+\\.\\d\\d s");
        assertThat(lines.get(lines.size() - 2)).matches("  reading and hashing the scored columns of every company, the least"
                + " a run that finds what changed must do: \\d+\\.\\d{3} s \\(full run / that: \\d+\\.\\d\\)");
        assertThat(number(out, "ratio incremental_speedup")).isPositive();
        // The console is what a person reads: a line per mode, the table, the ratio lines (and the
        // demo sources generated); what each task of each run did is in the log file.
        assertThat(lines).hasSizeLessThanOrEqualTo(42);
        assertThat(out).doesNotContain("Phase timing").doesNotContain("[scoreCompanyRange:").doesNotContain("[stockScore")
            .doesNotContain("Starting companyScoring run").doesNotContain(" COMPLETED in ");
        assertThat(Files.readString(this.dir.resolve("duckbatch.log")))
            .contains("Starting stockCompanyScoring run 1", "Starting companyScoring run 1")
            .contains("[scoreCompanyRange:companies-0001] COMPLETED: ", "Phase timing for scoreCompanyRange:companies-0001 (")
            .contains("Phase timing for job companyScoring execution 1 (wall ")
            .contains("companyScoring execution 1 COMPLETED in ", "stockCompanyScoring execution 1 COMPLETED in ");
        assertThat(out).containsPattern("ratio keyset_last_vs_first \\d+\\.\\d\\d");
        // The generated sources stay for the next run; targets and job files do not.
        try (var files = Files.list(this.dir.resolve("bench"))) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).allMatch(
                    name -> name.startsWith("source-") || name.startsWith("keys-"));
        }
    }

    /** The number after {@code name} on its own line. */
    private static double number(String out, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+(?:\\.\\d+)?)$").matcher(out);
        assertThat(matcher.find()).as("a line '" + name + " <number>' in%n%s", out).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    /** bench refresh: the rounds, their medians and the ratio; only the generated sources stay. */
    @Test
    void benchRefreshAlternatesFullAndIncrementalRuns(CapturedOutput output) throws Exception {
        assertThat(DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "--duckbatch.concurrency=2", "bench",
                "refresh", "--rows", "3000", "--rounds", "2")).isZero();
        String out = output.getOut();
        assertThat(out).contains("bench refresh: 3,000 companies x 20 RTIC codes, concurrency 2, 2 rounds")
            .containsPattern("(?m)^  round 1: full run \\d+\\.\\d\\d s, incremental run \\d+\\.\\d\\d s$")
            .containsPattern("(?m)^  round 2: full run \\d+\\.\\d\\d s, incremental run \\d+\\.\\d\\d s$")
            .containsPattern("(?m)^refresh after 1% of 3,000 companies changed: full run \\d+\\.\\d\\d s, incremental run"
                    + " \\d+\\.\\d\\d s \\(medians of 2\\)$");
        assertThat(number(out, "ratio incremental_speedup")).isPositive();
        // Each incremental run scored what changed, not every company.
        assertThat(Files.readString(this.dir.resolve("duckbatch.log"))).containsPattern("incremental: \\d+ new, \\d+ removed,"
                + " \\d+ changed companies; 0 codes changed");
        try (var files = Files.list(this.dir.resolve("bench"))) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).allMatch(name -> name.startsWith("source-"));
        }
    }

    @Test
    void rowsAreCheckedBeforeAnythingRuns(CapturedOutput output) {
        assertThat(DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "bench", "--rows", "0")).isEqualTo(2);
        assertThat(DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "bench", "--rows=30000000")).isEqualTo(2);
        assertThat(output.getErr()).contains("--rows takes a positive whole number, was '0'")
            .contains("--rows takes at most 20000000, was 30000000");
        assertThat(this.dir.resolve("bench")).doesNotExist();
    }

    /** The baselines do the same work: stock and plain SQL write what the chunk job writes. */
    @Test
    void stockAndSqlBaselinesWriteTheScoresOfTheJob() throws Exception {
        assertThat(DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "--duckbatch.demo.rows=3000",
                "--duckbatch.page-size=700", "run", "stockCompanyScoring")).isZero();
        List<List<Object>> expected = ExpectedScores.compute(this.dir.resolve("source.duckdb"), 0.5);
        assertThat(DuckDbFiles.rows(this.dir.resolve("target.duckdb"), ExpectedScores.ACTUAL_SQL)).isEqualTo(expected);

        Path sqlTarget = this.dir.resolve("sql.duckdb");
        DuckDbFiles.execute(sqlTarget, io.duckbatch.jobs.scoring.CompanyScoringJobConfiguration.TARGET_DDL,
                "ATTACH '" + this.dir.resolve("source.duckdb") + "' AS source (READ_ONLY)",
                io.duckbatch.jobs.scoring.ScoringSql.insert("source").replace("?", "0.5"));
        assertThat(DuckDbFiles.rows(sqlTarget, ExpectedScores.ACTUAL_SQL)).isEqualTo(expected);
    }

}
