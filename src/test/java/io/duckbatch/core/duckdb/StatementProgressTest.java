package io.duckbatch.core.duckdb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long statement runs to its end with progress reporting on, whatever the reports (how many
 * come depends on the machine's speed, so only their range is checked), and with it off.
 */
class StatementProgressTest {

    @TempDir
    Path dir;

    @Test
    void theStatementRunsAndReportsOnlyPercentages() throws Exception {
        List<Double> reports = new CopyOnWriteArrayList<>();
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(this.dir.resolve("progress.duckdb"));
                Connection connection = database.getConnection()) {
            StatementProgress.execute(connection, "CREATE TABLE sums AS SELECT i % 7 AS k, sum(i) AS s FROM range(30000000) t(i)"
                    + " GROUP BY ALL", Duration.ofMillis(1), reports::add);
            StatementProgress.execute(connection, "CREATE TABLE copied AS SELECT * FROM sums", Duration.ZERO,
                    percent -> reports.add(-1.0));
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT count(*), sum(s) FROM copied")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(7);
                assertThat(rs.getBigDecimal(2).longValueExact()).isEqualTo(30_000_000L * 29_999_999L / 2);
            }
        }
        assertThat(reports).allSatisfy(percent -> assertThat(percent).isBetween(0.0, 100.0));
    }

}
