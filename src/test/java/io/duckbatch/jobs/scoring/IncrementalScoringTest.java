package io.duckbatch.jobs.scoring;

import java.nio.file.Path;
import java.util.List;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.ExpectedScores;
import io.duckbatch.support.TestJobRepository;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monthly refresh, in-process as a user runs it: after a full run, the same command on a
 * source changed in every way a new snapshot changes it (companies new, removed, renamed,
 * with other SIC codes; a code redefined, added, removed; another threshold) scores only what
 * changed, and the target then equals a full recompute on the new source exactly: the plain
 * loop's rows, and a forced full run's. A run on an unchanged source does next to nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class IncrementalScoringTest {

    private static final int COMPANIES = 20_000;

    @TempDir
    Path dir;

    private Path source;

    private int run(String mode, String... extra) {
        String[] base = { "--duckbatch.data-dir=" + this.dir, "--duckbatch.source=" + this.source,
                "--duckbatch.page-size=1500", "--duckbatch.chunk-size=700", "--duckbatch.scoring.mode=" + mode,
                "--duckbatch.scoring.range-size=3000" };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return DuckbatchApplication.run(args);
    }

    private void assertTargetEqualsAFullRecompute(double threshold) throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        assertThat(DuckDbFiles.rows(target, ExpectedScores.ACTUAL_SQL))
            .isEqualTo(ExpectedScores.compute(this.source, threshold));
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'rtic_refresh%'"))
            .as("work tables dropped").isZero();
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM " + ScoringRefresh.SCORED_COMPANIES))
            .isEqualTo(DuckDbFiles.count(this.source, "SELECT count(*) FROM companies"));
    }

    /** The rows read by the scoring tasks of the last execution. */
    private long tasksRead() throws Exception {
        try (TestJobRepository repository = TestJobRepository.open(TestJobRepository.H2, this.dir)) {
            return repository.count("SELECT coalesce(sum(READ_COUNT), 0) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME LIKE"
                    + " '%CompanyRange:%' AND JOB_EXECUTION_ID = (SELECT max(JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION)");
        }
    }

    /** The rows the steps of the last execution wrote, the managers of partitioned steps (which repeat their tasks') left out. */
    private long written() throws Exception {
        try (TestJobRepository repository = TestJobRepository.open(TestJobRepository.H2, this.dir)) {
            return repository.count("SELECT coalesce(sum(WRITE_COUNT), 0) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME NOT IN"
                    + " ('scoreCompanies', 'rescoreCompanies') AND JOB_EXECUTION_ID = (SELECT max(JOB_EXECUTION_ID)"
                    + " FROM BATCH_JOB_EXECUTION)");
        }
    }

    private static String summary(long added, long removed, long changed, String codes) {
        return "incremental: %,d new, %,d removed, %,d changed companies; %s".formatted(added, removed, changed, codes);
    }

    @ParameterizedTest(name = "{0} mode")
    @ValueSource(strings = { "chunk", "udf" })
    void anIncrementalRunEqualsAFullRecomputeOnTheNewSource(String mode, CapturedOutput output) throws Exception {
        this.source = this.dir.resolve("source.duckdb");
        new DemoDataGenerator().generate(this.source, COMPANIES);
        assertThat(run(mode)).isZero();
        assertThat(output.getOut()).contains("full: every company against every code (no completed run in the target yet)");
        assertTargetEqualsAFullRecompute(0.5);

        // Unchanged: nothing to score, nothing applied.
        assertThat(run(mode)).isZero();
        assertThat(output.getOut()).contains(summary(0, 0, 0, "0 codes changed (re-scored in full)"));
        assertThat(tasksRead()).isZero();
        assertTargetEqualsAFullRecompute(0.5);

        // A new snapshot: companies added (before the first key, among them, after the last),
        // removed (the first and last keys among them), renamed, given other SIC codes.
        DuckDbFiles.execute(this.source,
                "DELETE FROM companies WHERE company_number = (SELECT min(company_number) FROM companies)"
                        + " OR company_number = (SELECT max(company_number) FROM companies) OR hash(company_number) % 97 = 0",
                "UPDATE companies SET name = 'Data Software Bakery ' || name WHERE hash(company_number) % 89 = 0",
                "UPDATE companies SET sic_codes = ['62012', '10710'] WHERE hash(company_number) % 83 = 0",
                // The same values again are no change.
                "UPDATE companies SET name = name WHERE hash(company_number) % 79 = 0");
        long removed = COMPANIES - DuckDbFiles.count(this.source, "SELECT count(*) FROM companies");
        long changed = DuckDbFiles.count(this.source, "SELECT count(*) FROM companies"
                + " WHERE hash(company_number) % 89 = 0 OR hash(company_number) % 83 = 0");
        DuckDbFiles.execute(this.source,
                "INSERT INTO companies SELECT c.* REPLACE (prefix || company_number AS company_number, 'NEW ' || name AS name)"
                        + " FROM companies c, (VALUES ('0'), ('Z'), ('A')) p(prefix) WHERE company_number IN"
                        + " (SELECT company_number FROM companies ORDER BY company_number LIMIT 40)");
        long added = 120;
        Path target = this.dir.resolve("target.duckdb");
        long rowsBefore = DuckDbFiles.count(target, "SELECT count(*) FROM rtic_scores");
        assertThat(run(mode)).isZero();
        assertThat(output.getOut()).contains(summary(added, removed, changed, "0 codes changed (re-scored in full)"));
        assertThat(tasksRead()).isEqualTo(added + changed);
        assertTargetEqualsAFullRecompute(0.5);
        // The rows of the changed and added (9-character keys) companies are the new scores; the rows written are
        // counted once (scored, not again when applied); net, the table changed by inserted - deleted.
        long inserted = DuckDbFiles.count(target, "SELECT count(*) FROM rtic_scores WHERE hash(company_number) % 89 = 0"
                + " OR hash(company_number) % 83 = 0 OR length(company_number) = 9");
        long deleted = inserted - (DuckDbFiles.count(target, "SELECT count(*) FROM rtic_scores") - rowsBefore);
        assertThat(output.getOut()).contains("applied to rtic_scores: %,d rows of changed and removed companies and codes"
            .formatted(deleted) + " deleted, %,d inserted".formatted(inserted));
        assertThat(written()).isEqualTo(inserted);

        // New codes: one redefined, one added, one removed.
        DuckDbFiles.execute(this.source,
                "UPDATE rtic_codes SET keywords = list_append(keywords, 'bakery') WHERE rtic_code = (SELECT min(rtic_code) FROM rtic_codes)",
                "INSERT INTO rtic_codes VALUES ('RTIC-NEW', 'New code', ['data', 'software'], ['10'])",
                "DELETE FROM rtic_codes WHERE rtic_code = (SELECT max(rtic_code) FROM rtic_codes WHERE rtic_code <> 'RTIC-NEW')");
        assertThat(run(mode)).isZero();
        assertThat(output.getOut()).contains(summary(0, 0, 0, "2 codes changed (re-scored in full), 1 removed"));
        assertTargetEqualsAFullRecompute(0.5);

        // Another threshold re-scores every code.
        assertThat(run(mode, "--duckbatch.scoring.threshold=0.3")).isZero();
        long codes = DuckDbFiles.count(this.source, "SELECT count(*) FROM rtic_codes");
        assertThat(output.getOut()).contains(summary(0, 0, 0, codes + " codes changed (re-scored in full)"));
        assertTargetEqualsAFullRecompute(0.3);

        // A forced full run writes what the incremental runs left.
        List<List<Object>> incremental = DuckDbFiles.rows(this.dir.resolve("target.duckdb"), ExpectedScores.ACTUAL_SQL);
        assertThat(run(mode, "--duckbatch.scoring.threshold=0.3", "--duckbatch.scoring.full-refresh=true")).isZero();
        assertThat(output.getOut()).contains("full: every company against every code (duckbatch.scoring.full-refresh=true)");
        assertThat(tasksRead()).isEqualTo(DuckDbFiles.count(this.source, "SELECT count(*) FROM companies"));
        assertThat(DuckDbFiles.rows(this.dir.resolve("target.duckdb"), ExpectedScores.ACTUAL_SQL)).isEqualTo(incremental);
    }

}
