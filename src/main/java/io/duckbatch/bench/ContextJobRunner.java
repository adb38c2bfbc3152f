package io.duckbatch.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.duckbatch.cli.ConsoleLogFilter;
import io.duckbatch.core.duckdb.StorageVersion;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs a job as {@code java -jar ... run <job>} would, in an application context of its own
 * inside the bench's process, with an in-memory job repository. The time is the job
 * execution's and the usage the run's, both without the context's start and close. It logs
 * through this process's logging, its lines to the log file only: the bench prints one line
 * per mode.
 */
final class ContextJobRunner {

    /** A completed run: the job execution's seconds and the process's usage over it. */
    record Run(double seconds, ProcessUsage.Usage usage) {
    }

    /** The application each run starts, a context of its own. */
    private final Class<?> application;

    private final Path dataDir;

    private final StorageVersion storageVersion;

    private int runs;

    ContextJobRunner(Class<?> application, Path dataDir, StorageVersion storageVersion) {
        this.application = application;
        this.dataDir = dataDir;
        this.storageVersion = storageVersion;
    }

    /**
     * @param arguments the run's own settings and job parameters (source, target, input, ...)
     * @throws IllegalStateException when the job does not complete
     */
    Run run(String job, List<String> arguments) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", job, "--duckbatch.data-dir=" + this.dataDir,
                "--duckbatch.storage-version=" + this.storageVersion.duckdbName(), "--duckbatch.progress-interval=1h",
                "--management.server.port=-1",
                "--spring.datasource.url=jdbc:h2:mem:duckbatch-bench-" + (++this.runs) + ";DB_CLOSE_DELAY=-1"));
        args.addAll(arguments);
        SpringApplication application = new SpringApplication(this.application);
        application.setWebApplicationType(WebApplicationType.NONE);
        // Its own logging would be set up anew for its data dir, and on the console.
        application.setListeners(application.getListeners()
            .stream()
            .filter(listener -> !(listener instanceof LoggingApplicationListener))
            .toList());
        JobRunUsage usage = new JobRunUsage();
        application.addListeners(usage);
        try (ConsoleLogFilter.Handle logFileOnly = ConsoleLogFilter.logFileOnly();
                ConfigurableApplicationContext context = application.run(args.toArray(String[]::new))) {
            JobRepository repository = context.getBean(JobRepository.class);
            JobExecution execution = repository.getLastJobExecution(repository.getLastJobInstance(job));
            if (execution == null || execution.getStatus() != BatchStatus.COMPLETED) {
                throw new IllegalStateException("bench: " + job + " did not complete with " + arguments + " ("
                        + ((execution != null) ? execution.getStatus() + ", " + execution.getExitStatus().getExitDescription() : "no execution") + ")");
            }
            return new Run(Duration.between(execution.getStartTime(), execution.getEndTime()).toNanos() / 1e9, usage.usage());
        }
    }

}
