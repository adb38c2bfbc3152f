package io.duckbatch.core.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.duckbatch.core.step.PerStepExecution;
import io.duckbatch.core.timing.SimplerTimer;
import io.duckbatch.support.TestBatch;
import io.duckbatch.support.TestJobRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchTransformerItemProcessorTest {

    /** Pre-computes a set once; filters words not in it. */
    static final class StopWords implements BatchTransformer<String, String> {

        private final Set<String> stop;

        StopWords(AtomicInteger built) {
            built.incrementAndGet();
            this.stop = Set.of("the", "a");
        }

        @Override
        public String transform(String item) {
            return this.stop.contains(item) ? null : item.toUpperCase();
        }

    }

    private static StepExecution step() {
        JobExecution job = new JobExecution(1L, new JobInstance(1L, "job"), new JobParameters());
        return new StepExecution(2L, "step", job);
    }

    @Test
    void buildsTheTransformerOncePerStepAndTimesIt() throws Exception {
        AtomicInteger built = new AtomicInteger();
        SimplerTimer timer = new SimplerTimer();
        BatchTransformerItemProcessor<String, String> processor = BatchTransformerItemProcessor.<String, String>builder()
            .transformer(step -> new StopWords(built))
            .timer(timer)
            .build();

        processor.beforeStep(step());
        assertThat(processor.process("the")).isNull();
        assertThat(processor.process("duck")).isEqualTo("DUCK");
        assertThat(processor.process("a")).isNull();

        assertThat(built).hasValue(1);
        assertThat(timer.snapshot()).extracting(SimplerTimer.PhaseStats::phase, SimplerTimer.PhaseStats::calls)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("prepare", 1L), org.assertj.core.groups.Tuple.tuple("process", 3L));
    }

    @Test
    void saysWhatIsWrongWhenMisused() {
        assertThatThrownBy(() -> BatchTransformerItemProcessor.<String, String>builder().build())
            .hasMessageContaining("needs transformer(");
        BatchTransformerItemProcessor<String, String> processor = BatchTransformerItemProcessor.<String, String>builder()
            .transformer(step -> item -> item)
            .build();
        assertThatThrownBy(() -> processor.process("x")).hasMessageContaining("used before beforeStep");
    }


    /** The items of one partition, {@code <partition>-1} to {@code <partition>-n}; the first read waits for every partition. */
    static final class PartitionItems implements ItemStreamReader<String> {

        private final String partition;

        private final int items;

        private final CyclicBarrier everyPartitionReady;

        private int read;

        PartitionItems(String partition, int items, CyclicBarrier everyPartitionReady) {
            this.partition = partition;
            this.items = items;
            this.everyPartitionReady = everyPartitionReady;
        }

        @Override
        public String read() throws Exception {
            if (this.read == 0) {
                // Every partition's beforeStep, the processor's included, has run: none has processed an item yet.
                this.everyPartitionReady.await(60, TimeUnit.SECONDS);
            }
            return (this.read < this.items) ? this.partition + "-" + (++this.read) : null;
        }

    }

    /**
     * The processor on its own (no {@link PerStepExecution} around it) in a partitioned step
     * whose partitions run at the same time on a real task executor: each partition's items
     * go through the transformer built for that partition. The partitions are held until
     * every one has been prepared, so the processor is called only once all transformers are
     * built: a processor keeping one transformer for all would tag one partition's items with
     * another's name, every time.
     */
    @Test
    void partitionsOnOtherThreadsEachUseTheTransformerBuiltForThem(@TempDir Path dir) throws Exception {
        int partitions = 3;
        int itemsPerPartition = 5;
        AtomicInteger built = new AtomicInteger();
        BatchTransformerItemProcessor<String, String> processor = BatchTransformerItemProcessor.<String, String>builder()
            .transformer(step -> {
                built.incrementAndGet();
                String partition = step.getExecutionContext().getString(TestBatch.PARTITION);
                return item -> partition + ":" + item;
            })
            .build();
        CyclicBarrier everyPartitionReady = new CyclicBarrier(partitions);
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        try (TestJobRepository repository = TestJobRepository.open(TestJobRepository.H2, dir);
                TestBatch batch = TestBatch.on(repository)) {
            Step tag = new StepBuilder("tag", batch.jobRepository()).<String, String>chunk(2)
                .transactionManager(batch.transactionManager())
                .reader(PerStepExecution.reader(step -> new PartitionItems(step.getExecutionContext().getString(TestBatch.PARTITION),
                        itemsPerPartition, everyPartitionReady)))
                .processor(processor)
                .writer(chunk -> written.addAll(chunk.getItems()))
                .build();
            Step partitioned = new StepBuilder("tagAll", batch.jobRepository()).partitioner("tag", TestBatch.namedPartitions())
                .step(tag).gridSize(partitions).taskExecutor(new SimpleAsyncTaskExecutor("partition-")).build();
            Job job = new JobBuilder("tagging", batch.jobRepository()).start(partitioned).build();

            JobExecution execution = batch.jobOperator().start(job, new JobParameters());

            assertThat(execution.getStatus()).as("%s", execution.getAllFailureExceptions()).isEqualTo(BatchStatus.COMPLETED);
        }
        assertThat(built).hasValue(partitions);
        assertThat(written).hasSize(partitions * itemsPerPartition)
            .allSatisfy(item -> assertThat(item.substring(0, item.indexOf(':')))
                .as("the transformer that tagged %s", item)
                .isEqualTo(item.substring(item.indexOf(':') + 1, item.indexOf('-'))));
    }

}
