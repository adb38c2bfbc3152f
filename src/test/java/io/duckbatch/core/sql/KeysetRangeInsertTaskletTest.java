package io.duckbatch.core.sql;

import java.nio.file.Path;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.keyset.KeyRangeWalk;
import io.duckbatch.core.resume.DestinationCheckpoint;
import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysetRangeInsertTaskletTest {

    private static final String INSERT = "INSERT INTO squares SELECT ?, k, i * i FROM src.numbers WHERE "
            + KeysetRangeInsertTasklet.RANGE + " AND i % 3 = 0";

    @TempDir
    Path dir;

    private final StepExecution step = new StepExecution(1L, "squares",
            new JobExecution(1L, new JobInstance(1L, "job"), new JobParameters()));

    private Path source() throws Exception {
        Path source = this.dir.resolve("source.duckdb");
        DuckDbFiles.execute(source, "CREATE TABLE numbers AS SELECT printf('%04d', i) AS k, i FROM range(1000) t(i)");
        return source;
    }

    private KeysetRangeInsertTasklet tasklet(DuckDbDataSource target, Path source) {
        return tasklet(target, source, "t1").build();
    }

    private KeysetRangeInsertTasklet.Builder tasklet(DuckDbDataSource target, Path source, String task) {
        return KeysetRangeInsertTasklet.builder()
            .name("numbers")
            .target(target)
            .source("src", DuckDbDataSource.readOnly(source))
            .keys("numbers", "k")
            .rangeSize(100)
            .insert(INSERT, task)
            .checkpoint(DestinationCheckpoint.builder().destination(target).table("squares").keyColumn("k").task("task", task).build());
    }

    /** Runs the tasklet as a tasklet step would: open, execute until finished, close. */
    private int runToEnd(KeysetRangeInsertTasklet tasklet, StepContribution contribution) throws Exception {
        tasklet.open(this.step.getExecutionContext());
        int calls = 0;
        try {
            while (tasklet.execute(contribution, new ChunkContext(new StepContext(this.step))) == RepeatStatus.CONTINUABLE) {
                calls++;
            }
        }
        finally {
            tasklet.close();
        }
        return calls;
    }

    @Test
    void insertsRangeByRangeInTheEngineAndCountsRows() throws Exception {
        Path source = source();
        Path target = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(target, "CREATE TABLE squares (task VARCHAR, k VARCHAR, square BIGINT)");
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(target)) {
            StepContribution contribution = new StepContribution(this.step);
            assertThat(runToEnd(tasklet(database, source), contribution)).isEqualTo(10);
            assertThat(contribution.getReadCount()).isEqualTo(1000);
            assertThat(contribution.getWriteCount()).isEqualTo(334);
            assertThat(contribution.getFilterCount()).isEqualTo(666);
            assertThat(this.step.getExecutionContext().getLong(KeyRangeWalk.rowsToReadKey("numbers"))).isEqualTo(1000);
        }
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM squares WHERE square = CAST(k AS BIGINT) ^ 2 AND task = 't1'"))
            .isEqualTo(334);
        // The source is detached again: the target file does not remember it.
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM duckdb_databases() WHERE database_name = 'src'")).isZero();
    }

    /** A crash after some ranges: the destination's MAX(k) says where to go on; nothing twice. */
    @Test
    void resumesAfterTheDestinationsLastKey() throws Exception {
        Path source = source();
        Path target = this.dir.resolve("target.duckdb");
        // As left by a run that committed the ranges up to k = 0299 and then died.
        DuckDbFiles.execute(target, "CREATE TABLE squares (task VARCHAR, k VARCHAR, square BIGINT)",
                "INSERT INTO squares SELECT 't1', printf('%04d', i), i * i FROM range(300) t(i) WHERE i % 3 = 0",
                "INSERT INTO squares VALUES ('other task', '0999', 0)");
        this.step.getExecutionContext().putString(DestinationCheckpoint.startedKey("numbers"), "true");
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(target)) {
            StepContribution contribution = new StepContribution(this.step);
            runToEnd(tasklet(database, source), contribution);
            // The last row written was k = 0297 (0298 and 0299 wrote nothing): read again from 0298.
            assertThat(contribution.getReadCount()).isEqualTo(702);
        }
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM squares WHERE task = 't1'")).isEqualTo(334);
        assertThat(DuckDbFiles.count(target, "SELECT count(DISTINCT k) FROM squares WHERE task = 't1'")).isEqualTo(334);
    }

    /**
     * Two tasks share the table by key range; one resumes after a crash: it goes on after the
     * destination's MAX(k) within its own range, however far the other range got.
     */
    @Test
    void tasksOfKeyRangesWriteTheirOwnRowsAndResumeWithinTheirRange() throws Exception {
        Path source = source();
        Path target = this.dir.resolve("target.duckdb");
        // The second range (0500, 0999] is complete; the first committed up to k = 0299, then died.
        DuckDbFiles.execute(target, "CREATE TABLE squares (task VARCHAR, k VARCHAR, square BIGINT)",
                "INSERT INTO squares SELECT 't', printf('%04d', i), i * i FROM range(300) t(i) WHERE i % 3 = 0",
                "INSERT INTO squares SELECT 't', printf('%04d', i), i * i FROM range(501, 1000) t(i) WHERE i % 3 = 0");
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(target)) {
            this.step.getExecutionContext().putString(DestinationCheckpoint.startedKey("numbers"), "true");
            StepContribution resuming = new StepContribution(this.step);
            runToEnd(keyRangeTasklet(database, source, null, "0500"), resuming);
            // Read again from 0298 (0298 and 0299 wrote nothing), up to 0500 only.
            assertThat(resuming.getReadCount()).isEqualTo(500 - 297);
        }
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM squares")).isEqualTo(334);
        assertThat(DuckDbFiles.count(target, "SELECT count(DISTINCT k) FROM squares")).isEqualTo(334);

        // A fresh start of the second range clears its rows only, then writes them again.
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(target)) {
            this.step.getExecutionContext().remove(DestinationCheckpoint.startedKey("numbers"));
            StepContribution fresh = new StepContribution(this.step);
            runToEnd(keyRangeTasklet(database, source, "0500", null), fresh);
            assertThat(fresh.getReadCount()).isEqualTo(499);
        }
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM squares WHERE square = CAST(k AS BIGINT) ^ 2")).isEqualTo(334);
    }

    /**
     * Two tasklets of one step, each with its own task: the one that started first does not
     * make the other, starting fresh, resume after rows an earlier run left behind.
     */
    @Test
    void eachTaskletOfAStepRecordsItsOwnStart() throws Exception {
        Path source = source();
        Path target = this.dir.resolve("target.duckdb");
        // Left by an earlier run of task t2: a fresh start must delete it, not go on after it.
        DuckDbFiles.execute(target, "CREATE TABLE squares (task VARCHAR, k VARCHAR, square BIGINT)",
                "INSERT INTO squares VALUES ('t2', '0500', -1)");
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(target)) {
            runToEnd(tasklet(database, source, "t1").name("first").build(), new StepContribution(this.step));
            StepContribution second = new StepContribution(this.step);
            runToEnd(tasklet(database, source, "t2").name("second").build(), second);
            assertThat(second.getReadCount()).isEqualTo(1000);
        }
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM squares WHERE task = 't2' AND square = CAST(k AS BIGINT) ^ 2"))
            .isEqualTo(334);
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM squares WHERE task = 't2'")).isEqualTo(334);
    }

    private KeysetRangeInsertTasklet keyRangeTasklet(DuckDbDataSource target, Path source, String after, String upTo) {
        return KeysetRangeInsertTasklet.builder()
            .name("numbers")
            .target(target)
            .source("src", DuckDbDataSource.readOnly(source))
            .keys("numbers", "k")
            .keyRange(after, upTo)
            .rangeSize(100)
            .insert(INSERT, "t")
            .checkpoint(DestinationCheckpoint.builder().destination(target).table("squares").keyColumn("k").keyRange(after, upTo)
                .build())
            .build();
    }

    @Test
    void settingsAreCheckedWhenBuilt() throws Exception {
        Path source = source();
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(this.dir.resolve("target.duckdb"))) {
            DestinationCheckpoint checkpoint = DestinationCheckpoint.builder().destination(database).table("t").keyColumn("k").build();
            assertThatThrownBy(() -> KeysetRangeInsertTasklet.builder().name("n").target(database).source("src", DuckDbDataSource.readOnly(source))
                .keys("numbers", "k").rangeSize(10).insert("INSERT INTO t SELECT * FROM src.numbers").checkpoint(checkpoint).build())
                .hasMessageContaining("needs an insert with {range} exactly once");
            assertThatThrownBy(() -> KeysetRangeInsertTasklet.builder().name("n").target(database).source("src", DuckDbDataSource.readOnly(source))
                .keys("numbers", "k").rangeSize(10).insert("INSERT INTO t SELECT * FROM src.numbers WHERE {range} AND i > ?", 5)
                .checkpoint(checkpoint).build())
                .hasMessageContaining("one '?' per value (1), all before {range}");
            assertThatThrownBy(() -> KeysetRangeInsertTasklet.builder().name("n").target(database)
                .source("src", DuckDbDataSource.readOnly(this.dir.resolve("missing.duckdb"))).keys("numbers", "k").rangeSize(10)
                .insert(INSERT, "t1").checkpoint(checkpoint).build())
                .hasMessageContaining("source database " + this.dir.resolve("missing.duckdb") + " does not exist");
            assertThatThrownBy(() -> KeysetRangeInsertTasklet.builder().name("n").target(database).source("src; DROP", DuckDbDataSource.readOnly(source))
                .keys("numbers", "k").rangeSize(10).insert(INSERT, "t1").checkpoint(checkpoint).build())
                .hasMessageContaining("source alias 'src; DROP' is not a plain SQL name");
        }
    }

}
