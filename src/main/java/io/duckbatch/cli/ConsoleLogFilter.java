package io.duckbatch.cli;

import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps the terminal readable: duckbatch's own progress and timing lines, and warnings or
 * errors from anything else. The log file gets everything. While {@link #logFileOnly()} is
 * open (the runs a bench measures), duckbatch's own lines below WARN stay in the log file too.
 */
public class ConsoleLogFilter extends Filter<ILoggingEvent> {

    /** Loggers whose errors duckbatch reports itself, one line per cause (job or start failures). */
    private static final String[] REPORTED_BY_DUCKBATCH = { "org.springframework.batch.core.step.AbstractStep",
            "org.springframework.batch.core.job.AbstractJob", "org.springframework.boot.SpringApplication",
            // "Chunk write failed with an exception that cannot be skipped", "Rolling back chunk transaction".
            "org.springframework.batch.core.step.item.ChunkOrientedStep",
            "org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter",
            // Tomcat's start reports the bean failure behind a configuration error again.
            "org.springframework.boot.tomcat.servlet.DeferredServletContainerInitializers" };

    /** Open {@link #logFileOnly()} handles: one process, one terminal. */
    private static final AtomicInteger logFileOnly = new AtomicInteger();

    /** Until closed, duckbatch's own lines below WARN go to the log file only. */
    public static Handle logFileOnly() {
        logFileOnly.incrementAndGet();
        return logFileOnly::decrementAndGet;
    }

    /** An open {@link #logFileOnly()}; close it once. */
    @FunctionalInterface
    public interface Handle extends AutoCloseable {

        @Override
        void close();

    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        for (String logger : REPORTED_BY_DUCKBATCH) {
            if (event.getLoggerName().equals(logger)) {
                return FilterReply.DENY;
            }
        }
        if (event.getMessage() != null && event.getMessage().startsWith("Exception encountered during context initialization")) {
            return FilterReply.DENY;
        }
        if (event.getLevel().isGreaterOrEqual(Level.WARN)
                || (event.getLoggerName().startsWith("io.duckbatch") && logFileOnly.get() == 0)) {
            return FilterReply.NEUTRAL;
        }
        return FilterReply.DENY;
    }

}
