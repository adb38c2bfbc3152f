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

    @Override
    public FilterReply decide(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.WARN) || event.getLoggerName().startsWith("io.duckbatch")) {
            return FilterReply.NEUTRAL;
        }
        return FilterReply.DENY;
    }

}
