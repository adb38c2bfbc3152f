package io.duckbatch.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.jobs.JobCatalog;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.StartedContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each command starts (docs/decisions.md, "Start-up"): {@code jobs} no Spring, the
 * repository verbs the job repository alone, a job run its own job only; and the catalog
 * {@code jobs} prints is the jobs the application defines.
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

    /** What a repository verb gets: the job repository, none of what a job needs (jobs, DuckDB, web server, meters). */
    private static List<String> repositoryOnly(ConfigurableApplicationContext context) {
        return List.of("jobs=" + context.getBeansOfType(Job.class).size(),
                "duckdb=" + context.getBeansOfType(DuckDbDataSource.class).size(),
                "meters=" + context.getBeanNamesForType(MeterRegistry.class).length,
                "web=" + (context instanceof WebServerApplicationContext),
                "repository=" + context.getBeanNamesForType(JobRepository.class).length);
    }

    @Test
    void aRepositoryVerbStartsTheJobRepositoryAlone(CapturedOutput output) throws Exception {
        // A source without the companies table: companyCopy runs and FAILS, leaving an execution.
        this.source = "empty.duckdb";
        DuckDbFiles.execute(this.dir.resolve(this.source), "CREATE TABLE other (x INTEGER)");
        assertThat(DuckbatchApplication.run(command("run", "companyCopy"))).isEqualTo(1);
        List<String> repositoryOnly = List.of("jobs=0", "duckdb=0", "meters=0", "web=false", "repository=1");

        StartedContext<List<String>> executions = StartedContext.run(CommandContextTest::repositoryOnly, command("executions"));
        assertThat(executions.exitCode()).isZero();
        assertThat(executions.seen()).isEqualTo(repositoryOnly);
        assertThat(output.getOut()).containsPattern("\\s1  companyCopy\\s+FAILED");

        StartedContext<List<String>> abandon = StartedContext.run(CommandContextTest::repositoryOnly, command("abandon", "1"));
        assertThat(abandon.exitCode()).isZero();
        assertThat(abandon.seen()).isEqualTo(repositoryOnly);
        assertThat(output.getOut()).contains("Abandoned execution 1 of companyCopy: now ABANDONED");
        assertThat(StartedContext.run(CommandContextTest::repositoryOnly, command("stop", "1")).exitCode()).isEqualTo(1);
        assertThat(output.getErr()).contains("ERROR: Execution 1 is ABANDONED, not running: nothing to stop");
    }

}
