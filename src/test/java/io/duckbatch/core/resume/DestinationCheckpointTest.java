package io.duckbatch.core.resume;

import java.nio.file.Path;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;

class DestinationCheckpointTest {

    @TempDir
    Path dir;

    /** Each component of a step records its own start; a step recorded with the shared key still resumes. */
    @Test
    void startsAreRecordedPerComponentAndTheSharedKeyOfEarlierExecutionsIsHonoured() throws Exception {
        Path file = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE done (task VARCHAR, k VARCHAR)",
                "INSERT INTO done VALUES ('a', '0003'), ('b', '0007'), ('c', '0009')");
        try (DuckDbDataSource target = DuckDbDataSource.readWrite(file)) {
            ExecutionContext step = new ExecutionContext();
            assertThat(checkpoint(target, "a").open("readerA", step)).isNull();
            assertThat(step.containsKey("readerA.checkpoint.started")).isTrue();
            assertThat(checkpoint(target, "a").lastKey()).isNull();
            // Another component of the same step has not started: it starts fresh too.
            assertThat(checkpoint(target, "b").open("readerB", step)).isNull();
            assertThat(checkpoint(target, "b").lastKey()).isNull();

            try (var connection = target.getConnection(); var statement = connection.createStatement()) {
                statement.execute("INSERT INTO done VALUES ('a', '0004')");
            }
            assertThat(checkpoint(target, "a").open("readerA", step)).isEqualTo("0004");

            ExecutionContext recordedBefore = new ExecutionContext();
            recordedBefore.putString(DestinationCheckpoint.SHARED_STARTED_KEY, "true");
            assertThat(checkpoint(target, "c").open("readerC", recordedBefore)).isEqualTo("0009");
            assertThat(recordedBefore.containsKey(DestinationCheckpoint.startedKey("readerC"))).isTrue();
        }
    }

    private static DestinationCheckpoint checkpoint(DuckDbDataSource target, String task) {
        return DestinationCheckpoint.builder().destination(target).table("done").keyColumn("k").task("task", task).build();
    }

}
