package io.duckbatch.core.duckdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;

import org.duckdb.DuckDBPreparedStatement;

/**
 * Runs one long DuckDB statement (a whole import, a table built in SQL) and reports how far
 * it is, as DuckDB estimates it (0 to 100), every interval from a thread of its own: a
 * statement of minutes is otherwise silent (rule 12). Progress tracking is switched on for the
 * connection, its printing off.
 */
public final class StatementProgress {

    private StatementProgress() {
    }

    /**
     * @param interval how often to report; zero reports nothing
     * @param report called with DuckDB's estimate of the percentage done, never on the calling thread
     */
    public static void execute(Connection connection, String sql, Duration interval, DoubleConsumer report) throws SQLException {
        if (interval.isZero() || interval.isNegative()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
            return;
        }
        try (Statement settings = connection.createStatement()) {
            settings.execute("SET enable_progress_bar = true");
            settings.execute("SET enable_progress_bar_print = false");
        }
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "duckbatch-statement-progress");
            thread.setDaemon(true);
            return thread;
        });
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            DuckDBPreparedStatement running = statement.unwrap(DuckDBPreparedStatement.class);
            poller.scheduleAtFixedRate(() -> {
                try {
                    double percent = running.getQueryProgress().getPercentage();
                    if (percent >= 0) {
                        report.accept(percent);
                    }
                }
                catch (SQLException ex) {
                    // The statement ended between two reports: nothing more to say.
                }
            }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
            statement.execute();
        }
        finally {
            poller.shutdownNow();
        }
    }

}
