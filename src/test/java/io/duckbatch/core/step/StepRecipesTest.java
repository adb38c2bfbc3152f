package io.duckbatch.core.step;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import io.duckbatch.core.timing.PhaseMeters;
import io.duckbatch.core.timing.ProgressMeters;
import io.duckbatch.core.timing.SimplerTimer;
import io.duckbatch.core.timing.StepTimers;
import io.duckbatch.support.TestBatch;
import io.duckbatch.support.TestJobRepository;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Steps built by {@link StepRecipes} in real jobs on a real job repository: a partitioned
 * chunk step whose partitions run at once on a task executor, each with its own reader,
 * transformer and writer and timer; counts in rows for batch items; phases and progress in
 * real Micrometer meters; and the messages of a recipe built wrong.
 */
class StepRecipesTest {

    private static final String ROWS_TO_READ = "batches.rowsToRead";

    private static final int BATCHES = 3;

    private static final int ROWS_PER_BATCH = 2;

    @TempDir
    Path dir;

    private final MeterRegistry meters = new SimpleMeterRegistry();

    private StepRecipes recipes(TestBatch batch, int concurrency) {
        return new StepRecipes(batch.jobRepository(), batch.transactionManager(), new StepTimers(),
                new PhaseMeters(this.meters), new ProgressMeters(this.meters), new SimpleAsyncTaskExecutor("task-"),
                new StepRecipes.Defaults(10, 10, concurrency, Duration.ZERO));
    }

    /** Batches of rows {@code <partition>-<n>}; the first read waits until every partition has opened its components. */
    static final class Batches implements ItemStreamReader<List<String>> {

        private final String partition;

        private final SimplerTimer timer;

        private final CyclicBarrier everyPartitionReady;

        private int batch;

        Batches(String partition, SimplerTimer timer, CyclicBarrier everyPartitionReady) {
            this.partition = partition;
            this.timer = timer;
            this.everyPartitionReady = everyPartitionReady;
        }

        @Override
        public void open(ExecutionContext context) {
            context.putLong(ROWS_TO_READ, BATCHES * ROWS_PER_BATCH);
        }

        @Override
        public List<String> read() throws InterruptedException, BrokenBarrierException {
            if (this.batch == 0) {
                this.everyPartitionReady.await();
            }
            try (var t = this.timer.track("read")) {
                if (this.batch == BATCHES) {
                    return null;
                }
                List<String> rows = new ArrayList<>();
                for (int row = 0; row < ROWS_PER_BATCH; row++) {
                    rows.add(this.partition + "-" + (this.batch * ROWS_PER_BATCH + row));
                }
                this.batch++;
                return rows;
            }
        }

    }

    @Test
    void partitionsRunAtOnceEachWithItsOwnComponentsCountedInRowsTimedAndReported() throws Exception {
        int partitions = 3;
        AtomicInteger transformersBuilt = new AtomicInteger();
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier everyPartitionReady = new CyclicBarrier(partitions);
        JobExecution execution;
        try (TestJobRepository repository = TestJobRepository.open(TestJobRepository.H2, this.dir);
                TestBatch batch = TestBatch.on(repository)) {
            StepRecipes steps = recipes(batch, partitions);
            Step worker = steps.<List<String>, List<String>>chunk("tag", 1)
                .reader(run -> new Batches(partition(run), run.timer(), everyPartitionReady))
                .transformer(run -> {
                    transformersBuilt.incrementAndGet();
                    String tag = partition(run);
                    return rows -> rows.stream().map(row -> tag + ":" + row).toList();
                })
                .writer(run -> new Collecting(written, run.timer()))
                .itemsAreBatches()
                .progress(ROWS_TO_READ)
                .build();
            Step tagAll = steps.partitioned("tagAll", TestBatch.namedPartitions(), worker, 1);
            Job job = new JobBuilder("tagging", batch.jobRepository()).start(tagAll).build();
            execution = batch.jobOperator().start(job, new JobParameters());
        }

        assertThat(execution.getStatus()).as("%s", execution.getAllFailureExceptions()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(transformersBuilt).hasValue(partitions);
        int rows = BATCHES * ROWS_PER_BATCH;
        assertThat(written).hasSize(partitions * rows).allSatisfy(row -> assertThat(row.substring(0, row.indexOf(':')))
            .as("the transformer that tagged %s", row)
            .isEqualTo(row.substring(row.indexOf(':') + 1, row.indexOf('-'))));
        List<StepExecution> tasks = execution.getStepExecutions().stream()
            .filter(step -> step.getStepName().startsWith("tag:"))
            .toList();
        assertThat(tasks).hasSize(partitions).allSatisfy(task -> {
            String step = task.getStepName();
            assertThat(task.getReadCount()).as("rows read by %s", step).isEqualTo(rows);
            assertThat(task.getWriteCount()).as("rows written by %s", step).isEqualTo(rows);
            // Each task's own timer: its batches read (and the end), one transformer built, its chunks written.
            assertThat(phaseCalls(step, "read")).as("reads timed in %s", step).isEqualTo(BATCHES + 1);
            assertThat(phaseCalls(step, "prepare")).as("transformers built in %s", step).isEqualTo(1);
            assertThat(phaseCalls(step, "process")).as("batches transformed in %s", step).isEqualTo(BATCHES);
            assertThat(phaseCalls(step, "write")).as("chunks written in %s", step).isEqualTo(BATCHES);
            assertThat(gauge(ProgressMeters.ROWS_DONE, step)).isEqualTo(rows);
            assertThat(gauge(ProgressMeters.ROWS_PLANNED, step)).isEqualTo(rows);
        });
    }

    @Test
    void aTaskletStepBuildsItsTaskletPerExecutionTimesItAndMetersItsSkips() throws Exception {
        AtomicInteger built = new AtomicInteger();
        JobExecution execution;
        try (TestJobRepository repository = TestJobRepository.open(TestJobRepository.H2, this.dir);
                TestBatch batch = TestBatch.on(repository)) {
            StepRecipes steps = recipes(batch, 1);
            Step sql = steps.tasklet("sql", run -> {
                built.incrementAndGet();
                return (contribution, chunkContext) -> {
                    try (var t = run.timer().track("sql")) {
                        // Lines the tasklet set aside itself, as an import's rejects are.
                        contribution.incrementReadSkipCount(3);
                        return RepeatStatus.FINISHED;
                    }
                };
            }).build();
            Step check = steps.check("check", (contribution, chunkContext) -> RepeatStatus.FINISHED);
            execution = batch.jobOperator()
                .start(new JobBuilder("inEngine", batch.jobRepository()).start(check).next(sql).build(), new JobParameters());
        }
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(built).hasValue(1);
        assertThat(phaseCalls("sql", "sql")).isEqualTo(1);
        assertThat(this.meters.get(ProgressMeters.ROWS_SKIPPED).tag(PhaseMeters.STEP_TAG, "sql").counter().count()).isEqualTo(3);
        assertThat(this.meters.find(ProgressMeters.ROWS_SKIPPED).tag(PhaseMeters.STEP_TAG, "check").counter()).isNull();
    }

    @Test
    void aRecipeBuiltWrongSaysWhatToFix() throws Exception {
        try (TestJobRepository repository = TestJobRepository.open(TestJobRepository.H2, this.dir);
                TestBatch batch = TestBatch.on(repository)) {
            StepRecipes steps = recipes(batch, 1);
            assertThatThrownBy(() -> steps.<String, String>chunk("score").reader(run -> null).transformer(run -> s -> s).build())
                .hasMessage("Step score needs reader(run -> ...), transformer(run -> ...) and writer(run -> ...)");
            assertThatThrownBy(() -> steps.chunk("score", 0))
                .hasMessage("StepRecipes needs a chunk size of step score of at least 1, was 0");
            assertThatThrownBy(() -> steps.tasklet("sql", null)).hasMessage("Step sql needs a tasklet factory: run -> tasklet");
            assertThatThrownBy(() -> steps.partitioned("all", gridSize -> Map.of(), steps.check("c", (c, x) -> null), 0))
                .hasMessage("StepRecipes needs a tasks per thread of step all of at least 1, was 0");
        }
        assertThatThrownBy(() -> new StepRecipes.Defaults(10, 0, 1, Duration.ZERO))
            .hasMessage("StepRecipes needs a page size of at least 1, was 0");
        assertThatThrownBy(() -> new StepRecipes.Defaults(10, 10, 1, Duration.ofSeconds(-1)))
            .hasMessage("StepRecipes needs a progress interval of zero or more, was PT-1S");
    }

    private static String partition(StepRun run) {
        return run.executionContext().getString(TestBatch.PARTITION);
    }

    private long phaseCalls(String step, String phase) {
        FunctionTimer timer = this.meters.find(PhaseMeters.METER_NAME)
            .tags(PhaseMeters.STEP_TAG, step, PhaseMeters.PHASE_TAG, phase)
            .functionTimer();
        return (timer != null) ? (long) timer.count() : 0;
    }

    private double gauge(String name, String step) {
        return this.meters.get(name).tags(PhaseMeters.STEP_TAG, step).gauge().value();
    }

    /** Collects what it is given, timing each chunk as phase {@code write}. */
    private record Collecting(List<String> written, SimplerTimer timer) implements ItemStreamWriter<List<String>> {

        @Override
        public void write(Chunk<? extends List<String>> chunk) {
            try (var t = this.timer.track("write")) {
                chunk.forEach(this.written::addAll);
            }
        }

    }

}
