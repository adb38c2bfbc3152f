package io.duckbatch.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps the terminal readable: duckbatch's own progress and timing lines, and warnings or
 * errors from anything else. The log file gets everything.
 */
public class ConsoleLogFilter extends Filter<ILoggingEvent> {

    /** Loggers whose errors duckbatch reports itself, one line per cause (job or start failures). */
    private static final String[] REPORTED_BY_DUCKBATCH = { "org.springframework.batch.core.step.AbstractStep",
            "org.springframework.batch.core.job.AbstractJob", "org.springframework.boot.SpringApplication",
            "org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter",
            // Tomcat's start reports the bean failure behind a configuration error again.
            "org.springframework.boot.tomcat.servlet.DeferredServletContainerInitializers" };

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
        if (event.getLevel().isGreaterOrEqual(Level.WARN) || event.getLoggerName().startsWith("io.duckbatch")) {
            return FilterReply.NEUTRAL;
        }
        return FilterReply.DENY;
    }

}
