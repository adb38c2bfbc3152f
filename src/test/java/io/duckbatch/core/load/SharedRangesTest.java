package io.duckbatch.core.load;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.read.KeysetQuery;
import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;

import static org.assertj.core.api.Assertions.assertThat;

class SharedRangesTest {

    @TempDir
    Path dir;

    @Test
    void walksFromTheBeginningShareOneQueryPerJobAndResumingWalksFindTheirOwn() throws Exception {
        Path file = this.dir.resolve("source.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE t AS SELECT printf('%03d', i) AS k FROM range(25) r(i)");
        KeysetQuery keys = new KeysetQuery("t", "k", List.of(), null, List.of());
        JobDatasets datasets = new JobDatasets();
        JobExecution job = new JobExecution(9L, new JobInstance(1L, "job"), new JobParameters());
        JobExecution nextJob = new JobExecution(10L, new JobInstance(1L, "job"), new JobParameters());
        try (DuckDbDataSource source = DuckDbDataSource.readOnly(file); Connection connection = source.getConnection()) {
            SharedRanges shared = new SharedRanges(datasets, job, "t");
            List<KeysetQuery.Range> first = shared.find(keys, connection, null, 10);
            assertThat(first).extracting(KeysetQuery.Range::upTo).containsExactly("009", "019", "024");
            assertThat(first).extracting(KeysetQuery.Range::rows).containsExactly(10L, 10L, 5L);

            assertThat(new SharedRanges(datasets, job, "t").find(keys, connection, null, 10)).isSameAs(first);
            assertThat(shared.find(keys, connection, null, 5)).hasSize(5);
            assertThat(new SharedRanges(datasets, nextJob, "t").find(keys, connection, null, 10)).isNotSameAs(first)
                .isEqualTo(first);
            assertThat(shared.find(keys, connection, "014", 10)).extracting(KeysetQuery.Range::upTo)
                .containsExactly("024");
        }
        assertThat(new SharedRanges(datasets, job, "t").isComplete()).isTrue();
        assertThat(new SharedRanges(datasets, null, "t").isComplete()).isFalse();
        assertThat(new SharedRanges(null, job, "t").isComplete()).isFalse();
        assertThat(new SharedRanges(datasets, job, "").isComplete()).isFalse();
    }

}
