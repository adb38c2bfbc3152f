package io.duckbatch.core.skip;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.read.KeysetItemReader;
import io.duckbatch.core.resume.DestinationCheckpoint;
import io.duckbatch.core.step.StepRecipes;
import io.duckbatch.core.timing.PhaseMeters;
import io.duckbatch.core.timing.ProgressMeters;
import io.duckbatch.core.timing.StepTimers;
import io.duckbatch.core.write.VectorInsertItemWriter;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.TestBatch;
import io.duckbatch.support.TestJobRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dead letters in a real chunk step built by {@link StepRecipes}, on real DuckDB files and a
 * real job repository: 30 rows read in key order, chunks of 5; rows 04 and 17 make the
 * transformer throw, rows 09 and 22 make the writer's INSERT break a CHECK constraint. The
 * writer resumes from the destination, as duckbatch's chunk steps do. With the limit met the
 * step completes with exactly the bad rows rejected; with it exceeded the step fails, and a
 * restart after the row named in the message is fixed writes every good row exactly once: no
 * row vanishes (spring-batch#5079) and none is written twice.
 */
class DeadLettersTest {

    private static final List<String> PROCESS_FAILS = List.of("r04", "r17");

    private static final List<String> WRITE_FAILS = List.of("r09", "r22");

    private static final List<String> ALL = IntStream.rangeClosed(1, 30).mapToObj(i -> String.format("r%02d", i)).toList();

    @TempDir
    Path dir;

    private Path source;

    private Path target;

    private final MeterRegistry meters = new SimpleMeterRegistry();

    record Row(String id, String label) {
    }

    @BeforeEach
    void files() throws Exception {
        this.source = this.dir.resolve("source.duckdb");
        this.target = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(this.source, "CREATE TABLE items (id VARCHAR, label VARCHAR)",
                "INSERT INTO items SELECT printf('r%02d', i), CASE WHEN i IN (9, 22) THEN 'bad!' ELSE 'ok' END"
                        + " FROM range(1, 31) t(i)");
        DuckDbFiles.execute(this.target, "CREATE TABLE labelled (id VARCHAR, label VARCHAR CHECK (label NOT LIKE '%!%'))");
    }

    @Test
    void withTheLimitMetTheBadRowsAreRejectedAndEveryGoodRowWritten() throws Exception {
        StepExecution step;
        try (TestJobRepository repository = TestJobRepository.open(TestJobRepository.H2, this.dir);
                TestBatch batch = TestBatch.on(repository);
                DuckDbDataSource sourceDb = DuckDbDataSource.readOnly(this.source);
                DuckDbDataSource targetDb = DuckDbDataSource.readWrite(this.target)) {
            JobExecution execution = batch.jobOperator().start(job(batch, 4, sourceDb, targetDb), new JobParameters());
            assertThat(execution.getStatus()).as("%s", execution.getAllFailureExceptions()).isEqualTo(BatchStatus.COMPLETED);
            step = execution.getStepExecutions().iterator().next();
        }

        assertThat(written()).containsExactlyElementsOf(good());
        assertThat(DuckDbFiles.rows(this.target, "SELECT step, key, phase, exception_class,"
                + " split_part(reason, ' with expression', 1), row_json, job_execution_id"
                + " FROM labelling_rejects ORDER BY key")).containsExactly(
                    List.of("label", "r04", "process", IllegalArgumentException.class.getName(), "no label for r04",
                            "{\"id\":\"r04\",\"label\":\"ok\"}", 1L),
                    rejectedWrite("r09"),
                    List.of("label", "r17", "process", IllegalArgumentException.class.getName(), "no label for r17",
                            "{\"id\":\"r17\",\"label\":\"ok\"}", 1L),
                    rejectedWrite("r22"));
        assertThat(step.getReadCount()).isEqualTo(30);
        assertThat(step.getWriteCount()).isEqualTo(26);
        assertThat(step.getProcessSkipCount()).isEqualTo(2);
        assertThat(step.getWriteSkipCount()).isEqualTo(2);
        assertThat(step.getFilterCount()).isZero();
        assertThat(this.meters.get(ProgressMeters.ROWS_SKIPPED).tag(PhaseMeters.STEP_TAG, "label").counter().count())
            .isEqualTo(4);
    }

    @Test
    void overTheLimitTheStepFailsAndARestartWritesEveryGoodRowOnce() throws Exception {
        try (TestJobRepository repository = TestJobRepository.open(TestJobRepository.H2, this.dir);
                TestBatch batch = TestBatch.on(repository);
                DuckDbDataSource sourceDb = DuckDbDataSource.readOnly(this.source);
                DuckDbDataSource targetDb = DuckDbDataSource.readWrite(this.target)) {
            Job job = batch.register(job(batch, 3, sourceDb, targetDb));
            JobExecution failed = batch.jobOperator().start(job, new JobParameters());

            assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
            assertThat(failed.getAllFailureExceptions()).anySatisfy(failure -> assertThat(causes(failure))
                .anySatisfy(cause -> assertThat(cause).isInstanceOf(TooManyRejectsException.class)
                    .hasMessageContaining("Step label rejected 3 rows, the limit (duckbatch.skip-limit=3)")
                    .hasMessageContaining("table labelling_rejects")));
            StepExecution first = failed.getStepExecutions().iterator().next();
            // Nothing vanished: of the 25 rows read, r22..r25 were neither written nor rejected (the chunk
            // that failed), every other one was; r21, written before r22 went over the limit, is counted.
            assertThat(first.getReadCount()).isEqualTo(25);
            assertThat(first.getWriteCount() + first.getSkipCount()).isEqualTo(21);
            try (Connection connection = targetDb.getConnection(); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT max(id) FROM labelled")) {
                rs.next();
                assertThat(rs.getString(1)).as("the rows before the one over the limit are written").isEqualTo("r21");
            }

            // The fix the message asks for, on the row that went over the limit (the source reopens on the next connection).
            sourceDb.close();
            DuckDbFiles.execute(this.source, "UPDATE items SET label = 'fixed' WHERE id = 'r22'");
            JobExecution restarted = batch.jobOperator().restart(failed);
            assertThat(restarted.getStatus()).as("%s", restarted.getAllFailureExceptions()).isEqualTo(BatchStatus.COMPLETED);
            StepExecution second = restarted.getStepExecutions().iterator().next();
            assertThat(second.getReadCount()).isEqualTo(second.getWriteCount() + second.getSkipCount());
        }

        List<String> good = new ArrayList<>(good());
        good.add("r22");
        good.sort(null);
        assertThat(written()).as("every good row exactly once").containsExactlyElementsOf(good);
        assertThat(DuckDbFiles.column(this.target, "SELECT key FROM labelling_rejects ORDER BY key"))
            .as("each rejected row once, the fixed one never").containsExactly("r04", "r09", "r17");
    }

    private Job job(TestBatch batch, long skipLimit, DuckDbDataSource sourceDb, DuckDbDataSource targetDb) {
        StepRecipes steps = new StepRecipes(batch.jobRepository(), batch.transactionManager(), new StepTimers(),
                new PhaseMeters(this.meters), new ProgressMeters(this.meters), new SimpleAsyncTaskExecutor("task-"),
                new StepRecipes.Defaults(5, 5, 1, Duration.ZERO, skipLimit));
        return new JobBuilder("labelling", batch.jobRepository()).start(steps.<Row, Row>chunk("label")
            .reader(run -> KeysetItemReader.<Row>builder()
                .name("items")
                .dataSource(sourceDb)
                .table("items")
                .keyColumn("id")
                .columns("label")
                .pageSize(5)
                .rowMapper((rs, n) -> new Row(rs.getString(1), rs.getString(2)))
                .resumeFrom(DestinationCheckpoint.builder().destination(targetDb).table("labelled").keyColumn("id").build())
                .build())
            .transformer(run -> row -> {
                if (PROCESS_FAILS.contains(row.id())) {
                    throw new IllegalArgumentException("no label for " + row.id());
                }
                return row;
            })
            .writer(run -> VectorInsertItemWriter.<Row>builder()
                .dataSource(targetDb)
                .table("labelled")
                .varchar("id", Row::id)
                .varchar("label", Row::label)
                .build())
            .deadLetters(DeadLetters.of(targetDb, Row::id, Row::id))
            .build()).build();
    }

    private static List<Object> rejectedWrite(String key) {
        return List.of("label", key, "write", "java.sql.SQLException",
                "Constraint Error: CHECK constraint failed on table \"labelled\"", "{\"id\":\"" + key + "\",\"label\":\"bad!\"}", 1L);
    }

    private List<Object> written() throws Exception {
        return DuckDbFiles.column(this.target, "SELECT id FROM labelled ORDER BY id");
    }

    private static List<String> good() {
        return ALL.stream().filter(id -> !PROCESS_FAILS.contains(id) && !WRITE_FAILS.contains(id)).toList();
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable cause = failure; cause != null && !causes.contains(cause); cause = cause.getCause()) {
            causes.add(cause);
        }
        return causes;
    }

}
