package io.duckbatch.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which log events reach the terminal. */
class ConsoleLogFilterTest {

    private final LoggerContext context = new LoggerContext();

    private FilterReply decide(String logger, Level level, String message) {
        return new ConsoleLogFilter().decide(new LoggingEvent(getClass().getName(), this.context.getLogger(logger), level,
                message, null, null));
    }

    /** Spring Batch's errors of a failed chunk: duckbatch reports the cause itself, once. */
    @Test
    void aFailedChunkIsReportedOnceByDuckbatch() {
        String step = "org.springframework.batch.core.step.item.ChunkOrientedStep";
        assertThat(decide(step, Level.ERROR, "Chunk write failed with an exception that cannot be skipped")).isEqualTo(FilterReply.DENY);
        assertThat(decide(step, Level.ERROR, "Rolling back chunk transaction")).isEqualTo(FilterReply.DENY);
        assertThat(decide("org.springframework.batch.core.step.Other", Level.WARN, "a warning")).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("io.duckbatch.cli.DuckbatchCli", Level.INFO, "progress")).isEqualTo(FilterReply.NEUTRAL);
    }

}
