package io.duckbatch.core.sql;

import java.nio.file.Path;
import java.util.List;

import io.duckbatch.core.duckdb.DuckDbDataSource;
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
import org.springframework.dao.InvalidDataAccessResourceUsageException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The first step of a job that works on another job's table, on a real DuckDB file. */
class RequiredTableTaskletTest {

    @TempDir
    Path dir;

    private static RepeatStatus run(RequiredTableTasklet tasklet) throws Exception {
        StepExecution step = new StepExecution(1L, "check", new JobExecution(1L, new JobInstance(1L, "job"), new JobParameters()));
        return tasklet.execute(new StepContribution(step), new ChunkContext(new StepContext(step)));
    }

    @Test
    void saysWhatToRunWhenTheTableOrAColumnIsMissing() throws Exception {
        Path file = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE features (company_number VARCHAR, phone VARCHAR)");
        try (DuckDbDataSource target = DuckDbDataSource.readWrite(file)) {
            assertThat(run(new RequiredTableTasklet(target, "features", List.of("company_number", "PHONE"), "run job phones first")))
                .isEqualTo(RepeatStatus.FINISHED);
            assertThatThrownBy(() -> run(new RequiredTableTasklet(target, "features", List.of("phone", "is_mobile"), "run job phones first")))
                .isInstanceOf(InvalidDataAccessResourceUsageException.class)
                .hasMessage("Column [is_mobile] not found in table 'features' of " + file
                        + " (it has [company_number, phone]); run job phones first");
            assertThatThrownBy(() -> run(new RequiredTableTasklet(target, "enriched", List.of("status"), "run job enrich first")))
                .hasMessage("Table 'enriched' not found in " + file + "; run job enrich first");
        }
    }

    @Test
    void namesAreCheckedWhenBuilt() {
        DuckDbDataSource target = DuckDbDataSource.readWrite(this.dir.resolve("x.duckdb"));
        assertThatThrownBy(() -> new RequiredTableTasklet(null, "t", List.of(), "run job a first")).hasMessageContaining("needs the database");
        assertThatThrownBy(() -> new RequiredTableTasklet(target, "t; drop", List.of(), "run job a first"))
            .hasMessageContaining("'t; drop' is not a plain SQL name");
        assertThatThrownBy(() -> new RequiredTableTasklet(target, "t", List.of("a b"), "run job a first"))
            .hasMessageContaining("'a b' is not a plain SQL name");
        assertThat(this.dir.resolve("x.duckdb")).doesNotExist();
    }

}
