package io.duckbatch.cli;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.duckbatch.config.DuckbatchProperties;
import io.duckbatch.core.resume.ResumingJobLauncher;
import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.jobs.scoring.CompanyScoringJobConfiguration;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Runs the job named by {@code spring.batch.job.name} (default {@code companyScoring})
 * once the application has started: prepares the demo source when the default one is
 * missing, starts or resumes the job ({@link ResumingJobLauncher}), reports the outcome and
 * sets the exit code: 0 completed, 1 failed or could not start, 2 unknown job.
 */
@Component
public class JobLaunchRunner implements ApplicationRunner, ExitCodeGenerator {

    public static final String JOB_NAME_PROPERTY = "spring.batch.job.name";

    private static final Logger log = LoggerFactory.getLogger(JobLaunchRunner.class);

    private final Map<String, Job> jobs = new TreeMap<>();

    private final ResumingJobLauncher launcher;

    private final DuckbatchProperties properties;

    private final DemoDataGenerator demoDataGenerator;

    private final Environment environment;

    private int exitCode;

    public JobLaunchRunner(Map<String, Job> jobs, ResumingJobLauncher launcher, DuckbatchProperties properties,
            DemoDataGenerator demoDataGenerator, Environment environment) {
        jobs.values().forEach(job -> this.jobs.put(job.getName(), job));
        this.launcher = launcher;
        this.properties = properties;
        this.demoDataGenerator = demoDataGenerator;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        String jobName = this.environment.getProperty(JOB_NAME_PROPERTY, CompanyScoringJobConfiguration.JOB_NAME);
        Job job = this.jobs.get(jobName);
        if (job == null) {
            Console.error("Unknown job '" + jobName + "' (" + JOB_NAME_PROPERTY + "); jobs in this build: "
                    + String.join(", ", this.jobs.keySet()));
            this.exitCode = 2;
            return;
        }
        try {
            prepareSource();
            JobExecution execution = this.launcher.launch(job, identifyingParameters());
            this.exitCode = report(execution);
        }
        catch (Exception ex) {
            log.debug("Launch of {} failed", jobName, ex);
            Console.error(jobName + " did not run: " + Console.describe(ex));
            this.exitCode = 1;
        }
    }

    /** Generates the demo source only when the default one is missing; a named source must exist. */
    private void prepareSource() {
        if (Files.isRegularFile(this.properties.getSource())) {
            return;
        }
        if (!this.properties.isDefaultSource()) {
            throw new IllegalArgumentException("Source database " + this.properties.getSource().toAbsolutePath()
                    + " does not exist (duckbatch.source)");
        }
        this.demoDataGenerator.generate(this.properties.getSource(), this.properties.getDemo().getRows());
    }

    private JobParameters identifyingParameters() {
        return new JobParametersBuilder()
            .addString("source", this.properties.getSource().toAbsolutePath().normalize().toString())
            .addString("target", this.properties.getTarget().toAbsolutePath().normalize().toString())
            .toJobParameters();
    }

    private int report(JobExecution execution) {
        String job = execution.getJobInstance().getJobName();
        Duration took = (execution.getStartTime() != null && execution.getEndTime() != null)
                ? Duration.between(execution.getStartTime(), execution.getEndTime()) : Duration.ZERO;
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            log.info("{} execution {} COMPLETED in {} s", job, execution.getId(), took.toMillis() / 1000.0);
            return 0;
        }
        // A task's failure also fails its partitioned step and the job: say each cause once.
        execution.getAllFailureExceptions()
            .stream()
            .map(Console::describe)
            .distinct()
            .forEach(cause -> Console.error(job + " execution " + execution.getId() + " " + execution.getStatus() + ": " + cause));
        log.info("Fix the cause, then run the same command to resume execution {}. Details: {}", execution.getId(),
                this.properties.getDataDir().resolve("duckbatch.log"));
        return 1;
    }

    @Override
    public int getExitCode() {
        return this.exitCode;
    }

}
