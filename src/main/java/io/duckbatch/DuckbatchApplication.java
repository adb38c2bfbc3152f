package io.duckbatch;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.duckbatch.cli.Console;
import io.duckbatch.cli.DataDir;
import io.duckbatch.cli.EnvironmentVariables;
import io.duckbatch.cli.DuckbatchCli;
import io.duckbatch.cli.JobImports;
import io.duckbatch.cli.MetricsPort;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * {@code java -jar duckbatch.jar [--name=value ...]}: runs a job and exits with its outcome.
 * {@code @SpringBootApplication} spelled out, to keep the job configurations out of
 * component scanning: {@link JobImports} imports only the ones the command line runs.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(excludeFilters = { @Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @Filter(type = FilterType.CUSTOM, classes = JobImports.NotScanned.class) })
@Import(JobImports.class)
public class DuckbatchApplication {

    private static final String NO_HTTP_ENDPOINT = "--management.server.port=-1";

    public static void main(String[] args) {
        if (DuckbatchCli.usesDuckDb(args)) {
            loadDuckDbInTheBackground();
        }
        System.exit(run(args));
    }

    /**
     * DuckDB's driver unpacks and loads its native library (about 70 MB) on first use, which
     * took a third of a second of the first step; done while Spring starts, on another
     * thread, it costs a job nothing. The first connection waits for it if it is not done.
     * A command that opens no DuckDB database does not load it: the library is unpacked to a
     * temporary file every time, a third of a second of CPU on the cores Spring starts on.
     */
    private static void loadDuckDbInTheBackground() {
        Thread loader = new Thread(() -> {
            try {
                Class.forName("org.duckdb.DuckDBNative", true, DuckbatchApplication.class.getClassLoader());
            }
            catch (ClassNotFoundException | LinkageError ex) {
                // The first connection reports it.
            }
        }, "duckdb-native-loader");
        loader.setDaemon(true);
        loader.start();
    }

    /** Runs the application and returns the process exit code (0 = job completed). */
    public static int run(String... args) {
        Optional<String> help = DuckbatchCli.answerWithoutSpring(args);
        if (help.isPresent()) {
            System.out.println(help.get());
            return 0;
        }
        AtomicReference<Environment> environment = new AtomicReference<>();
        try {
            ConfigurableApplicationContext context = application(args, environment).run(args);
            Optional<String[]> again = context.getBean(DuckbatchCli.class).relaunchArguments();
            int exitCode = SpringApplication.exit(context);
            // Once at most: a restart on the settings its execution recorded (DuckbatchCli.restart).
            return again.isPresent() ? SpringApplication.exit(application(again.get(), environment).run(again.get()))
                    : exitCode;
        }
        catch (RuntimeException ex) {
            Console.error("duckbatch could not start: " + describeStartFailure(ex, environment.get()));
            return 1;
        }
    }

    /** @param environment set to the run's environment, to say where a port that is in use was set */
    private static SpringApplication application(String[] args, AtomicReference<Environment> environment) {
        SpringApplication application = DuckbatchCli.needsOnlyTheJobRepository(args) ? JobRepositoryApplication.application()
                : new SpringApplication(DuckbatchApplication.class);
        application.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) event -> environment
            .set(event.getEnvironment()), new DataDir(), new EnvironmentVariables());
        // Only a job run serves the actuator; 'executions' next to a running job must not
        // compete for its port, and a run told to serve no endpoint starts no web server
        // (Tomcat and the web context took about half a second of every start).
        boolean servesHttp = DuckbatchCli.runsAJob(args) && !Arrays.asList(args).contains(NO_HTTP_ENDPOINT);
        application.setWebApplicationType(servesHttp ? WebApplicationType.SERVLET : WebApplicationType.NONE);
        application.setDefaultProperties(DuckbatchCli.settingsOf(args));
        return application;
    }

    private static String describeStartFailure(RuntimeException failure, Environment environment) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PortInUseException portInUse) {
                return MetricsPort.inUse(portInUse.getPort(), environment);
            }
        }
        return Console.describeStartFailure(failure);
    }

}
