package io.duckbatch.jobs.scoring;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.ExpectedScores;
import io.duckbatch.support.TestJobRepository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * companyScoring with {@code duckbatch.scoring.codes}, in-process as a user runs it: the
 * codes of a file score as the same codes in the source's table, a bad file is one line
 * and writes nothing, and a resumed execution scores with the codes it recorded or is
 * refused.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScoringCodesJobTest {

    private static final int COMPANIES = 20_000;

    @TempDir
    static Path shared;

    /** The demo source: companies and rtic_codes. */
    private static Path demo;

    /** The demo's companies without an rtic_codes table: the codes can only come from the file. */
    private static Path companiesOnly;

    /** The demo's codes, written as a codes file would be by hand: BOM, CRLF, quoted labels. */
    private static String demoCodes;

    /** The plain loop's rows for the demo source, its rtic_codes table, at threshold 0.5. */
    private static List<List<Object>> demoExpected;

    @TempDir
    Path dir;

    @BeforeAll
    static void demo() throws Exception {
        demo = shared.resolve("demo.duckdb");
        new DemoDataGenerator().generate(demo, COMPANIES);
        demoExpected = ExpectedScores.compute(demo, 0.5);
        try (DuckDbDataSource database = DuckDbDataSource.readOnly(demo)) {
            demoCodes = RticCodes.all(database).stream()
                .map(code -> String.join(",", code.code(), "\"" + code.label().replace("\"", "\"\"") + "\"",
                        String.join("; ", code.keywords()), String.join(";", code.sicPrefixes())))
                .collect(Collectors.joining("\r\n", "\uFEFF" + RticCodesFile.HEADER + "\r\n", "\r\n"));
        }
        companiesOnly = shared.resolve("companies.duckdb");
        DuckDbFiles.execute(companiesOnly, "ATTACH '" + demo + "' AS demo (READ_ONLY)",
                "CREATE TABLE companies AS SELECT * FROM demo.companies");
    }

    private int run(String... extra) {
        String[] base = { "--duckbatch.data-dir=" + this.dir, "--duckbatch.source=" + companiesOnly,
                "--duckbatch.page-size=1500", "--duckbatch.chunk-size=700" };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return DuckbatchApplication.run(args);
    }

    private Path codesFile(String text) throws Exception {
        return Files.write(this.dir.resolve("codes.csv"), text.getBytes(StandardCharsets.UTF_8));
    }

    private List<List<Object>> scores() throws Exception {
        return DuckDbFiles.rows(this.dir.resolve("target.duckdb"), ExpectedScores.ACTUAL_SQL);
    }

    private long instances() throws Exception {
        try (TestJobRepository repository = TestJobRepository.open(TestJobRepository.H2, this.dir)) {
            return repository.count("SELECT count(*) FROM BATCH_JOB_INSTANCE");
        }
    }

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = { "chunk", "udf" })
    void aCodesFileScoresAsTheSameCodesInTheSourceTable(String mode) throws Exception {
        Path codes = codesFile(demoCodes);
        assertThat(run("--duckbatch.scoring.codes=" + codes, "--duckbatch.scoring.mode=" + mode,
                "--duckbatch.scoring.range-size=3000")).isZero();
        assertThat(scores()).isEqualTo(demoExpected);
    }

    /** {@code demo rtic-codes <file>} writes the demo source's codes as a codes file. */
    @Test
    void theDemoCodesFileHoldsTheDemoSourcesCodes() throws Exception {
        Path file = this.dir.resolve("demo-codes.csv");
        new DemoDataGenerator().writeCodesFile(file);
        try (DuckDbDataSource database = DuckDbDataSource.readOnly(demo)) {
            assertThat(RticCodesFile.read(file, ScoringCodes.SETTING).codes()).isEqualTo(RticCodes.all(database));
        }
    }

    /** A bad file stops the run before it starts: one line, no execution, the target as it was. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "R1,A,software,62\\nR1,B,data,63 | line 3 repeats code 'R1' of line 2: give every code one line",
        "R1,A,software,62\\nR2,B,,  | line 3 gives code 'R2' neither keywords nor sic_prefixes, so it could never score:"
                + " give it one of them, separated by ';'",
        "R1,A,software,6.2 | line 2 gives code 'R1' the SIC prefix '6.2', which is not digits: SIC prefixes are digits"
                + " such as 62 or 6201, separated by ';'" })
    void aBadCodesFileIsOneLineAndWritesNothing(String lines, String problem, CapturedOutput output) throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(target, CompanyScoringJobConfiguration.TARGET_DDL,
                "INSERT INTO rtic_scores VALUES ('R0', '00000001', 0.9, ['kept'])");
        Path codes = codesFile(RticCodesFile.HEADER + "\n" + lines.replace("\\n", "\n") + "\n");

        assertThat(run("--duckbatch.scoring.codes=" + codes)).isEqualTo(1);
        assertThat(output.getErr().lines().filter(line -> line.startsWith("ERROR")))
            .containsExactly("ERROR: companyScoring did not run: Codes file " + codes + " " + problem);
        assertThat(DuckDbFiles.rows(target, ExpectedScores.ACTUAL_SQL)).containsExactly(List.of("R0", "00000001", 0.9, "[kept]"));
        assertThat(instances()).isZero();
    }

    @Test
    void aMissingCodesFileNamesTheSettingAndThePath(CapturedOutput output) throws Exception {
        Path missing = this.dir.resolve("codes/missing.csv");
        assertThat(run("--duckbatch.scoring.codes=" + missing)).isEqualTo(1);
        assertThat(output.getErr().lines().filter(line -> line.startsWith("ERROR"))).containsExactly("ERROR: companyScoring"
                + " did not run: duckbatch.scoring.codes names codes file " + missing + ", which does not exist: create it"
                + " (header rtic_code,label,keywords,sic_prefixes) or correct the path");
        assertThat(this.dir.resolve("target.duckdb")).doesNotExist();
    }

    /**
     * A failed run, its codes file edited: {@code run} and {@code restart} are refused with
     * one line naming the file and how to start afresh; restored, the file resumes the run,
     * whose rows are those of the recorded codes. Once complete, an edited file starts a new
     * instance.
     */
    @Test
    void aRunResumesOnlyWithTheCodesItRecorded(CapturedOutput output) throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        // The target refuses companies from 00005000 on: the first task fails after a few chunks.
        DuckDbFiles.execute(target, "CREATE TABLE rtic_scores (rtic_code VARCHAR NOT NULL, company_number VARCHAR NOT NULL,"
                + " score DOUBLE NOT NULL, matched_keywords VARCHAR[], CHECK (company_number < '00005000'))");
        Path codes = codesFile(demoCodes);
        String codesSetting = "--duckbatch.scoring.codes=" + codes;
        assertThat(run(codesSetting, "--duckbatch.concurrency=1")).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: companyScoring execution 1 FAILED: ").contains("CHECK constraint");
        String sha256 = RticCodesFile.sha256Of(codes);
        long count = demoCodes.lines().count() - 1;

        Files.writeString(codes, demoCodes + "R99,Added,extra,\r\n");
        int errors = errorLines(output);
        assertThat(run(codesSetting, "--duckbatch.concurrency=1")).isEqualTo(1);
        String changed = "Codes file " + codes + " changed since execution 1 started (it scored with " + count
                + " codes, sha256 " + sha256 + "). Restore the file to resume, or start afresh with the file as it is: abandon 1,"
                + " then run companyScoring --duckbatch.scoring.codes=" + codes + " (with the same source and target)";
        assertThat(newErrorLines(output, errors)).containsExactly("ERROR: companyScoring did not run: " + changed);
        errors = errorLines(output);
        assertThat(run("restart", "1")).isEqualTo(1);
        assertThat(newErrorLines(output, errors)).containsExactly("ERROR: " + changed);

        // Another file named on a resume is refused too, even with the recorded content.
        Path other = Files.writeString(this.dir.resolve("other.csv"), demoCodes);
        errors = errorLines(output);
        assertThat(run("--duckbatch.scoring.codes=" + other)).isEqualTo(1);
        assertThat(newErrorLines(output, errors)).containsExactly("ERROR: companyScoring did not run: Execution 1 scored with"
                + " codes file " + codes + ", not " + other + " (duckbatch.scoring.codes); resume it without that setting, or"
                + " start afresh with " + other + ": abandon 1, then run companyScoring --duckbatch.scoring.codes=" + other
                + " (with the same source and target)");
        assertThat(instances()).isOne();

        // Restored: restart resumes with the codes it recorded (no need to name the file again).
        Files.writeString(codes, demoCodes);
        DuckDbFiles.execute(target, "CREATE TABLE kept AS SELECT * FROM rtic_scores", "DROP TABLE rtic_scores",
                "ALTER TABLE kept RENAME TO rtic_scores");
        assertThat(run("restart", "1")).isZero();
        assertThat(output.getOut()).contains("companyScoring execution 2 COMPLETED");
        assertThat(scores()).isEqualTo(demoExpected);

        // Complete: the edited file starts a new instance and scores the added code too.
        Files.writeString(codes, demoCodes + "R99,Added,extra,\r\n");
        assertThat(run(codesSetting)).isZero();
        assertThat(instances()).isEqualTo(2);
        assertThat(scores()).hasSizeGreaterThanOrEqualTo(demoExpected.size()).containsAll(demoExpected);
    }

    /**
     * A failed run resumed with another threshold is refused (its rows would be cut at two),
     * naming both and how to resume; with its own threshold it completes, equal to the plain
     * loop at that threshold.
     */
    @Test
    void aRunResumesOnlyWithTheThresholdItRecorded(CapturedOutput output) throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        // The target refuses companies from 00005000 on: the first task fails after a few chunks.
        DuckDbFiles.execute(target, "CREATE TABLE rtic_scores (rtic_code VARCHAR NOT NULL, company_number VARCHAR NOT NULL,"
                + " score DOUBLE NOT NULL, matched_keywords VARCHAR[], CHECK (company_number < '00005000'))");
        assertThat(run("--duckbatch.scoring.codes=" + codesFile(demoCodes), "--duckbatch.concurrency=1",
                "--duckbatch.scoring.threshold=0.6")).isEqualTo(1);

        int errors = errorLines(output);
        assertThat(run("restart", "1")).isEqualTo(1);
        assertThat(newErrorLines(output, errors)).containsExactly("ERROR: Execution 1 scored with threshold 0.6, not 0.5"
                + " (duckbatch.scoring.threshold); resume it with --duckbatch.scoring.threshold=0.6, or start afresh with 0.5:"
                + " abandon 1, then run companyScoring --duckbatch.scoring.threshold=0.5 (with the same source and target)");

        DuckDbFiles.execute(target, "CREATE TABLE kept AS SELECT * FROM rtic_scores", "DROP TABLE rtic_scores",
                "ALTER TABLE kept RENAME TO rtic_scores");
        assertThat(run("restart", "1", "--duckbatch.scoring.threshold=0.6")).isZero();
        assertThat(instances()).isOne();
        assertThat(scores()).isEqualTo(ExpectedScores.compute(demo, 0.6));
    }

    private static int errorLines(CapturedOutput output) {
        return (int) output.getErr().lines().filter(line -> line.startsWith("ERROR")).count();
    }

    private static List<String> newErrorLines(CapturedOutput output, int before) {
        return output.getErr().lines().filter(line -> line.startsWith("ERROR")).skip(before).toList();
    }

}
