package io.duckbatch.cli;

import java.io.IOException;
import java.nio.file.Path;

import io.duckbatch.core.duckdb.Folders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Creates {@code duckbatch.data-dir} before logging starts, since the log file goes there:
 * a folder that cannot be created is one line naming it, not Logback's stack traces.
 */
public class DataDir implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        Path folder = Path.of(event.getEnvironment().getProperty("duckbatch.data-dir", "./data"));
        try {
            Folders.create(folder);
        }
        catch (IOException | RuntimeException ex) {
            throw new Unusable("Cannot create the data folder " + folder.toAbsolutePath().normalize()
                    + " (duckbatch.data-dir): " + Console.plain(ex));
        }
    }

    /**
     * Ends the start without Spring's failure handling, which would log "Application run
     * failed" and a stack trace to the console before logging is set up; duckbatch prints
     * the message itself.
     */
    static final class Unusable extends SpringApplication.AbandonedRunException {

        private final String message;

        Unusable(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return this.message;
        }

    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER - 1;
    }

}
