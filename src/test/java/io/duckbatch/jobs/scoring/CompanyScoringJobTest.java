package io.duckbatch.jobs.scoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.ExpectedScores;
import io.duckbatch.support.JobPhaseTable;
import io.duckbatch.support.TestJobRepository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as a user runs it, in-process: real DuckDB files, real H2 job repository.
 * Cases that only read a demo source share one, generated once; what the input checks
 * refuse is tested on the checks themselves (KeysetQueryChecksTest, RticCodesTest,
 * TableCheckTest, DuckDbDataSourceContractTest), and here once end to end: the message on
 * the console.
 */
@ExtendWith(OutputCaptureExtension.class)
class CompanyScoringJobTest {

    private static final int COMPANIES = 20_000;

    @TempDir
    static Path shared;

    /** A demo source of {@link #COMPANIES} companies, read by several cases, never written. */
    private static Path demo;

    /** The plain loop's rows for {@link #demo} at threshold 0.5. */
    private static List<List<Object>> demoExpected;

    @TempDir
    Path dir;

    @BeforeAll
    static void generateOneDemoSource() throws Exception {
        demo = shared.resolve("demo.duckdb");
        new DemoDataGenerator().generate(demo, COMPANIES);
        demoExpected = ExpectedScores.compute(demo, 0.5);
        assertThat(demoExpected).hasSizeGreaterThan(1000);
    }

    private int run(String... extra) {
        String[] base = { "--duckbatch.data-dir=" + this.dir, "--duckbatch.demo.rows=" + COMPANIES, "--duckbatch.page-size=1500",
                "--duckbatch.chunk-size=700" };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return DuckbatchApplication.run(args);
    }

    @Test
    void generatesDemoDataScoresEveryCodeAndMatchesAPlainLoop(CapturedOutput output) throws Exception {
        assertThat(run()).isZero();

        Path target = this.dir.resolve("target.duckdb");
        // The demo source the run generated is the one generated above: the generator is deterministic.
        List<List<Object>> expected = demoExpected;
        assertThat(DuckDbFiles.rows(target, ExpectedScores.ACTUAL_SQL)).isEqualTo(expected);
        assertThat(output.getOut()).contains("Generating demo source")
            .contains("Phase timing for scoreCompanyRange:companies-0001")
            .containsPattern("read\\s+\\d+")
            .contains("Phase timing for job companyScoring execution 1 (wall ")
            .contains("companyScoring execution 1 COMPLETED");
        // The job's table: shares of the tasks' summed thread time, adding up to 100%.
        JobPhaseTable jobTable = JobPhaseTable.in(output.getOut(), CompanyScoringJobConfiguration.JOB_NAME, 1);
        assertThat(jobTable.calls("read")).as(jobTable.toString()).isPositive();
        assertThat(jobTable.shareSum()).as(jobTable.toString()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(0.5));

        // Running the same command again starts a new instance and recomputes without duplicating.
        assertThat(run()).isZero();
        assertThat(DuckDbFiles.rows(target, ExpectedScores.ACTUAL_SQL)).isEqualTo(expected);
        try (TestJobRepository repository = TestJobRepository.open(TestJobRepository.H2, this.dir)) {
            assertThat(repository.count("SELECT count(*) FROM BATCH_JOB_INSTANCE")).isEqualTo(2);
        }
    }

    /** Tasks (key ranges, a few per thread) run 1, 2 or 4 at a time: same output. */
    @ParameterizedTest(name = "concurrency {0}")
    @CsvSource({ "1", "2", "4" })
    void concurrencyDoesNotChangeTheScores(int concurrency, CapturedOutput output) throws Exception {
        assertThat(run("--duckbatch.source=" + demo, "--duckbatch.concurrency=" + concurrency)).isZero();
        int tasks = CompanyScoringJobConfiguration.PARTITIONS_PER_THREAD * concurrency;
        assertThat(output.getOut()).contains("[scoreCompanyRange:companies-%04d] COMPLETED".formatted(tasks))
            .doesNotContain("companies-%04d".formatted(tasks + 1));
        if (concurrency > 1) {
            // The log file names the thread of each line: the last pool thread ran tasks too.
            assertThat(Files.readString(this.dir.resolve("duckbatch.log"))).contains("[duckbatch-task-" + concurrency + "]");
        }
        List<List<Object>> expected = demoExpected;
        assertThat(DuckDbFiles.rows(this.dir.resolve("target.duckdb"), ExpectedScores.ACTUAL_SQL)).isEqualTo(expected);
        // The last line and executions count the tasks' rows once, not again for the partitioned step over them.
        assertThat(output.getOut()).contains("COMPLETED in ").contains(
                "s: 20,000 rows read, %,d written to %s".formatted(expected.size(), this.dir.resolve("target.duckdb")));
        assertThat(run("executions")).isZero();
        assertThat(output.getOut()).containsPattern(
                "companyScoring\\s+COMPLETED .*\\s20,000\\s+%,d\\s".formatted(expected.size()));
    }

    /** udf mode: the scorer as a DuckDB function, one INSERT ... SELECT per keyset range of a task. */
    @ParameterizedTest(name = "concurrency {0}")
    @CsvSource({ "1", "2" })
    void udfModeWritesTheScoresOfTheChunkMode(int concurrency, CapturedOutput output) throws Exception {
        assertThat(run("--duckbatch.source=" + demo, "--duckbatch.scoring.mode=udf", "--duckbatch.scoring.range-size=1500",
                "--duckbatch.concurrency=" + concurrency, "--duckbatch.progress-interval=0s")).isZero();
        assertThat(DuckDbFiles.rows(this.dir.resolve("target.duckdb"), ExpectedScores.ACTUAL_SQL)).isEqualTo(demoExpected);
        // 20,000 companies in a few tasks per thread, each in ranges of 1,500.
        int perTask = COMPANIES / (CompanyScoringJobConfiguration.PARTITIONS_PER_THREAD * concurrency);
        assertThat(output.getOut()).containsPattern("insert\\s+" + ((perTask + 1499) / 1500) + "\\s")
            .contains("[scoreCompanyRange:companies-0001] 1,500 / %,d rows (%.1f%%)".formatted(perTask, 150_000.0 / perTask))
            .contains("[scoreCompanyRange:companies-0001] COMPLETED: %,d rows read".formatted(perTask));
    }

    /**
     * NULL names and SIC codes, NULL list elements, case, repeats and separators, SIC codes
     * with spaces, backslashes or nothing, codes with NULL keyword or prefix lists: both modes
     * write what the plain loop computes.
     */
    @Test
    void udfAndChunkModesAgreeOnAwkwardRows() throws Exception {
        Path source = this.dir.resolve("awkward.duckdb");
        DuckDbFiles.execute(source,
                "CREATE TABLE rtic_codes (rtic_code VARCHAR, label VARCHAR, keywords VARCHAR[], sic_prefixes VARCHAR[])",
                "INSERT INTO rtic_codes VALUES ('R1', 'Software', ['Software', 'data', 'AI'], ['62', '631']),"
                        + " ('R2', 'Food', ['bakery'], ['107']), ('R3', 'No keywords', NULL, ['6', NULL]),"
                        + " ('R4', 'No prefixes', ['bakery', NULL, 'DATA'], NULL), ('R5', 'Odd codes', ['ai'], ['62 ', 'z\\', ''])",
                "CREATE TABLE companies (company_number VARCHAR, name VARCHAR, sic_codes VARCHAR[])",
                "INSERT INTO companies VALUES ('01', 'SOFTWARE & Data Ltd', ['62012']), ('02', NULL, ['62012']),"
                        + " ('03', 'data-data software', NULL), ('04', ' ai/Software', [NULL, '63110']),"
                        + " ('05', 'Softwares Ltd', ['6']), ('06', 'Bakery, bakery', ['10710', NULL]),"
                        + " ('07', 'Café Data AI', []), ('08', '', ['107']), ('09', 'Data', ['99999', '62']),"
                        + " ('10', 'AI', ['62 12']), ('11', 'ai', ['']), ('12', 'Ai', ['z\\q']), ('13', 'AI', ['x y', 'q'])");
        // 0.3: a SIC prefix alone passes; 0.5: only names with a keyword reach the udf.
        for (String threshold : new String[] { "0.3", "0.5" }) {
            assertThat(run("--duckbatch.source=" + source, "--duckbatch.scoring.threshold=" + threshold)).isZero();
            List<List<Object>> chunk = DuckDbFiles.rows(this.dir.resolve("target.duckdb"), ExpectedScores.ACTUAL_SQL);
            assertThat(chunk).hasSizeGreaterThanOrEqualTo(threshold.equals("0.3") ? 7 : 4)
                .isEqualTo(ExpectedScores.compute(source, Double.parseDouble(threshold)));
            assertThat(run("--duckbatch.source=" + source, "--duckbatch.scoring.threshold=" + threshold,
                    "--duckbatch.scoring.mode=udf", "--duckbatch.scoring.range-size=4")).isZero();
            assertThat(DuckDbFiles.rows(this.dir.resolve("target.duckdb"), ExpectedScores.ACTUAL_SQL)).as(threshold)
                .isEqualTo(chunk);
        }
    }

    @Test
    void aNamedSourceThatDoesNotExistIsAnErrorNotGenerated(CapturedOutput output) {
        Path missing = this.dir.resolve("elsewhere/companies.duckdb");
        assertThat(run("--duckbatch.source=" + missing)).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: companyScoring did not run: Source database " + missing
                + " does not exist (duckbatch.source)");
        assertThat(missing).doesNotExist();
        assertThat(this.dir.resolve("target.duckdb")).doesNotExist();
    }

    /** The one end-to-end case of a refused input: its message reaches the console as one ERROR line, with what to do next. */
    @Test
    void aSourceWithoutTheTableFailsBeforeWritingAnything(CapturedOutput output) throws Exception {
        Path source = this.dir.resolve("bad.duckdb");
        DuckDbFiles.execute(source, "CREATE TABLE firms (company_number VARCHAR)");
        assertThat(run("--duckbatch.source=" + source)).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: companyScoring execution 1 FAILED: Table 'companies' not found in " + source)
            .doesNotContain("Catalog Error");
        assertThat(output.getOut()).contains("companyScoring execution 1 FAILED after ")
            .contains(": 0 rows read, 0 written to " + this.dir.resolve("target.duckdb") + "; fix the cause, then run the same"
                    + " command to resume (details: " + this.dir.resolve("duckbatch.log") + ")")
            .doesNotContain("Encountered an error executing step");
        assertThat(this.dir.resolve("target.duckdb")).doesNotExist();
    }

    /**
     * A task that fails after some chunks: the last line counts the rows the tasks read and
     * wrote before, which are in the target.
     */
    @Test
    void aFailedRunCountsWhatItWroteBeforeFailing(CapturedOutput output) throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        // The target refuses companies from 00005000 on: the first of two tasks fails after a few chunks.
        DuckDbFiles.execute(target, "CREATE TABLE rtic_scores (rtic_code VARCHAR NOT NULL, company_number VARCHAR NOT NULL,"
                + " score DOUBLE NOT NULL, matched_keywords VARCHAR[], CHECK (company_number < '00005000'))");
        assertThat(run("--duckbatch.source=" + demo, "--duckbatch.concurrency=1")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: companyScoring execution 1 FAILED: ").contains("CHECK constraint");
        List<String> lines = output.getOut().lines().toList();
        Matcher last = Pattern.compile("\\S+ INFO  companyScoring execution 1 FAILED after \\d+\\.\\d+ s: ([\\d,]+) rows read,"
                + " ([\\d,]+) written to " + Pattern.quote(target.toString()) + "; fix the cause, then run the same command"
                + " to resume \\(details: " + Pattern.quote(this.dir.resolve("duckbatch.log").toString()) + "\\)")
            .matcher(lines.get(lines.size() - 1));
        assertThat(last.matches()).as(output.getOut()).isTrue();
        long written = Long.parseLong(last.group(2).replace(",", ""));
        assertThat(written).isPositive().isEqualTo(DuckDbFiles.count(target, "SELECT count(*) FROM rtic_scores"));
        assertThat(Long.parseLong(last.group(1).replace(",", ""))).isGreaterThan(written / 20);
    }

    /** Every task fails the same way, and so does their partitioned step: one line, the tasks' cause. */
    @Test
    void failedTasksAreOneLine(CapturedOutput output) throws Exception {
        Path source = this.dir.resolve("typed.duckdb");
        DuckDbFiles.execute(source,
                "CREATE TABLE rtic_codes (rtic_code VARCHAR, label VARCHAR, keywords VARCHAR[], sic_prefixes VARCHAR[])",
                "INSERT INTO rtic_codes VALUES ('R1', 'Software', ['software'], ['62'])",
                "CREATE TABLE companies (company_number VARCHAR, name INTEGER, sic_codes VARCHAR[])",
                "INSERT INTO companies SELECT lpad(range::VARCHAR, 8, '0'), range, ['62012'] FROM range(1, 100)");
        assertThat(run("--duckbatch.source=" + source)).isEqualTo(1);
        assertThat(output.getErr().lines().filter(line -> line.startsWith("ERROR")))
            .containsExactly("ERROR: companyScoring execution 1 FAILED: Unable to process chunk (cause: Expected vector type"
                    + " VARCHAR, found INTEGER)");
    }

    @Test
    void aSourceThatIsNotADuckDbFileIsNamed(CapturedOutput output) throws Exception {
        Path text = Files.writeString(this.dir.resolve("companies.csv"), "company_number,name\n01,Acme\n");
        assertThat(run("--duckbatch.source=" + text)).isEqualTo(1);
        // DuckDB's own words for this file: "Cannot launch in-memory database in read-only mode!"
        assertThat(output.getErr()).contains("ERROR: companyScoring did not run: Source database " + text
                + " is not a DuckDB file (duckbatch.source); load a CSV or Parquet file into a DuckDB database first")
            .doesNotContain("in-memory");
        assertThat(this.dir.resolve("target.duckdb")).doesNotExist();
    }

}
