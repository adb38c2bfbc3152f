package io.duckbatch.core.load;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.keyset.KeysetQuery;
import io.duckbatch.core.load.LoadMode;
import io.duckbatch.support.DuckDbFiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobDatasetsTest {

    @TempDir
    Path dir;

    @Test
    void tasksOfOneJobShareOneLoadAndTheJobsEndReleasesIt() throws Exception {
        Path file = this.dir.resolve("source.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE t AS SELECT CAST(i AS VARCHAR) AS k FROM range(50) r(i)");
        KeysetQuery query = new KeysetQuery("t", "k", List.of(), null, List.of());
        JobDatasets datasets = new JobDatasets(LoadMode.AUTO);
        JobExecution job = new JobExecution(9L, new JobInstance(1L, "job"), new JobParameters());
        AtomicInteger loads = new AtomicInteger();
        try (DuckDbDataSource source = DuckDbDataSource.readOnly(file)) {
            LoadDecider fits = LoadDecider.builder().dataSource(source).query(query).availableBytes(() -> 1L << 30).build();
            JobDatasets.Loader<String> loader = () -> {
                loads.incrementAndGet();
                return LoadedRows.load(source, query, (rs, row) -> rs.getString(1));
            };

            LoadedRows<String> first = datasets.loadOnceIfItFits(job, "t", fits, loader);
            LoadedRows<String> second = datasets.loadOnceIfItFits(job, "t", fits, loader);
            assertThat(first).isSameAs(second).isSameAs(datasets.loaded(job, "t"));
            assertThat(first.size()).isEqualTo(50);
            assertThat(loads).hasValue(1);

            datasets.afterJob(job);
            assertThat(datasets.loadOnceIfItFits(job, "t", fits, loader)).isNotSameAs(first);
            assertThat(loads).hasValue(2);

            LoadDecider tooBig = LoadDecider.builder().dataSource(source).query(query).availableBytes(() -> 0).build();
            assertThat(datasets.loadOnceIfItFits(new JobExecution(10L, new JobInstance(2L, "job"), new JobParameters()), "t",
                    tooBig, loader)).isNull();
            assertThat(loads).hasValue(2);
            assertThatThrownBy(() -> datasets.loaded(new JobExecution(10L, new JobInstance(2L, "job"), new JobParameters()), "t"))
                .hasMessageContaining("Dataset t was not loaded for job execution 10");
        }
    }

}
