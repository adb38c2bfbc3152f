package io.duckbatch.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.duckbatch.DuckbatchApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs duckbatch's command line ({@link DuckbatchApplication#run}) and looks at the
 * application context it started, once refreshed and before the command ran: which beans a
 * command's context holds. Nothing is replaced; Spring Boot's run hook only watches.
 *
 * @param exitCode the command's exit code
 * @param seen what {@code inspect} returned, or null when no context was started
 */
public record StartedContext<T>(int exitCode, T seen) {

    public static <T> StartedContext<T> run(Function<ConfigurableApplicationContext, T> inspect, String... args) {
        AtomicReference<T> seen = new AtomicReference<>();
        int exitCode = SpringApplication.withHook(application -> new SpringApplicationRunListener() {
            @Override
            public void started(ConfigurableApplicationContext context, Duration timeTaken) {
                seen.set(inspect.apply(context));
            }
        }, () -> DuckbatchApplication.run(args));
        return new StartedContext<>(exitCode, seen.get());
    }

}
