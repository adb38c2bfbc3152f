package io.duckbatch.jobs.scoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.ExpectedScores;
import io.duckbatch.support.FrozenChild;
import io.duckbatch.support.TestJobRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A distributed companyScoring on the PostgreSQL job repository, child JVMs on loopback: a
 * manager ({@code run companyScoring --duckbatch.distributed=true}) and two workers of one
 * slot each write exactly the rows a single process writes, and both workers ran partitions.
 * No timing decides that: the first worker is frozen with SIGSTOP as soon as it has claimed a
 * partition, so the second must claim another, and is frozen there too; both are then let go.
 * Skipped, with the warning, without a PostgreSQL server (see TestJobRepository).
 */
@Tag("heavy")
class DistributedScoringTest {

    private static final int COMPANIES = 20_000;

    @TempDir
    Path dir;

    private TestJobRepository repository;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void stopAndDrop() throws Exception {
        for (Process child : this.children) {
            child.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
        }
        if (this.repository != null) {
            this.repository.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "chunk", "udf" })
    void aManagerAndTwoWorkersWriteWhatOneProcessWrites(String mode) throws Exception {
        this.repository = TestJobRepository.open(TestJobRepository.POSTGRES, this.dir);
        Path source = this.dir.resolve("source.duckdb");
        new DemoDataGenerator().generate(source, COMPANIES);

        Process manager = new ProcessBuilder(FrozenChild.duckbatch(arguments("run", "companyScoring",
                "--duckbatch.distributed=true", "--duckbatch.concurrency=2", "--duckbatch.scoring.mode=" + mode,
                "--duckbatch.source=" + source)))
            .redirectErrorStream(true)
            .redirectOutput(this.dir.resolve("manager.log").toFile())
            .start();
        this.children.add(manager);
        FrozenChild first = FrozenChild.startAndFreezeAt(FrozenChild.duckbatch(arguments("worker",
                "--duckbatch.worker.slots=1", "--duckbatch.source=" + source)), "claimed by worker pid");
        // While the first holds its partition frozen, the second must claim another.
        FrozenChild second = FrozenChild.startAndFreezeAt(FrozenChild.duckbatch(arguments("worker",
                "--duckbatch.worker.slots=1", "--duckbatch.source=" + source)), "claimed by worker pid");
        try {
            first.resume();
            second.resume();
            assertThat(manager.waitFor(5, TimeUnit.MINUTES)).as("manager ended").isTrue();
            assertThat(manager.exitValue()).as(Files.readString(this.dir.resolve("manager.log"))).isZero();
        }
        finally {
            first.terminate();
            second.terminate();
        }

        assertThat(DuckDbFiles.rows(this.dir.resolve("target.duckdb"), ExpectedScores.ACTUAL_SQL))
            .isEqualTo(ExpectedScores.compute(source, 0.5));
        assertThat(this.repository.count("SELECT count(DISTINCT pid) FROM batch_partition_owner")).isEqualTo(2);
        assertThat(this.repository.column("SELECT pid FROM batch_partition_owner")).contains(first.pid(), second.pid());
        assertThat(this.repository.count("SELECT count(*) FROM batch_step_execution WHERE step_name LIKE 'scoreCompanyRange:%'"
                + " AND status = 'COMPLETED'")).isEqualTo(4);
        assertThat(this.dir.resolve("shards")).isEmptyDirectory();
    }

    private List<String> arguments(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--duckbatch.data-dir=" + this.dir, "--duckbatch.chunk-size=2048", "--duckbatch.page-size=2048",
                "--management.server.port=-1"));
        all.addAll(this.repository.arguments());
        return all;
    }

}
