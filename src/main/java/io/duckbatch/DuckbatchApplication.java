package io.duckbatch;

import io.duckbatch.cli.Console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code java -jar duckbatch.jar [--name=value ...]}: runs a job and exits with its outcome. */
@SpringBootApplication
public class DuckbatchApplication {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the application and returns the process exit code (0 = job completed). */
    public static int run(String... args) {
        try {
            ConfigurableApplicationContext context = SpringApplication.run(DuckbatchApplication.class, args);
            return SpringApplication.exit(context);
        }
        catch (RuntimeException ex) {
            Console.error("duckbatch could not start: " + Console.describeStartFailure(ex));
            return 1;
        }
    }

}
