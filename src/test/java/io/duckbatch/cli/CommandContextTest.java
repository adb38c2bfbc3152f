package io.duckbatch.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.duckbatch.jobs.JobCatalog;
import io.duckbatch.support.StartedContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.batch.core.job.Job;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each command starts (docs/decisions.md, "Start-up"): {@code jobs} no Spring, a job run
 * its own job only; and the catalog {@code jobs} prints is the jobs the application defines.
 */
@ExtendWith(OutputCaptureExtension.class)
class CommandContextTest {

    @TempDir
    Path dir;

    /** The source the commands name: by default one that does not exist, so that no job gets to run. */
    private String source = "missing.duckdb";

    /** A command on this test's data dir and source, serving no HTTP endpoint. */
    private String[] command(String... args) {
        List<String> all = new ArrayList<>(List.of("--duckbatch.data-dir=" + this.dir,
                "--duckbatch.source=" + this.dir.resolve(this.source), "--management.server.port=-1"));
        all.addAll(Arrays.asList(args));
        return all.toArray(String[]::new);
    }

    private static List<String> jobNames(ConfigurableApplicationContext context) {
        return context.getBeansOfType(Job.class).values().stream().map(Job::getName).sorted().toList();
    }

    @Test
    void jobsListsTheCatalogWithoutStartingSpring(CapturedOutput output) {
        StartedContext<List<String>> jobs = StartedContext.run(CommandContextTest::jobNames, command("jobs"));
        assertThat(jobs.exitCode()).isZero();
        assertThat(jobs.seen()).as("no context").isNull();
        assertThat(output.getOut().lines().toList()).containsExactlyElementsOf(JobCatalog.JOBS.stream()
            .map(job -> String.format("%-18s %s", job.name(), job.description()))
            .toList());
        assertThat(this.dir.resolve("duckbatch.log")).doesNotExist();
        assertThat(this.dir.resolve("jobrepository.mv.db")).doesNotExist();
    }

    /** restart reads its job from the repository, so its context has every job: the catalog's, no more, no fewer. */
    @Test
    void theCatalogIsEveryJobTheApplicationDefines() {
        StartedContext<List<String>> restart = StartedContext.run(CommandContextTest::jobNames, command("restart", "1"));
        assertThat(restart.exitCode()).isEqualTo(1);
        assertThat(restart.seen()).containsExactlyElementsOf(JobCatalog.names());
        assertThat(JobCatalog.names()).isSorted().doesNotHaveDuplicates();
    }

    static List<String> catalog() {
        return JobCatalog.names();
    }

    /** Each job's configuration on its own defines that job (stockCompanyScoring imports companyScoring's steps). */
    @ParameterizedTest
    @MethodSource("catalog")
    void aJobRunImportsOnlyItsOwnJob(String job) {
        StartedContext<List<String>> run = StartedContext.run(CommandContextTest::jobNames, command("run", job));
        assertThat(run.exitCode()).isEqualTo(1);
        if (job.equals(JobCatalog.STOCK_COMPANY_SCORING)) {
            assertThat(run.seen()).containsExactly(JobCatalog.COMPANY_SCORING, job);
        }
        else {
            assertThat(run.seen()).containsExactly(job);
        }
    }

    @Test
    void withoutAVerbTheJobNamedBySpringBatchJobNameIsImported() {
        assertThat(StartedContext.run(CommandContextTest::jobNames, command()).seen())
            .containsExactly(JobCatalog.COMPANY_SCORING);
        assertThat(StartedContext.run(CommandContextTest::jobNames, command("--spring.batch.job.name=companyCopy")).seen())
            .containsExactly(JobCatalog.COMPANY_COPY);
    }

    @Test
    void anUnknownJobImportsNoneAndSaysWhichThereAre(CapturedOutput output) {
        StartedContext<List<String>> run = StartedContext.run(CommandContextTest::jobNames, command("run", "noSuchJob"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.seen()).isEmpty();
        assertThat(output.getErr()).contains("ERROR: Unknown job 'noSuchJob' (spring.batch.job.name); jobs in this build: "
                + String.join(", ", JobCatalog.names()));
    }

}
