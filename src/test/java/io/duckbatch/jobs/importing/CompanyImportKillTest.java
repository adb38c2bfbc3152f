package io.duckbatch.jobs.importing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.FrozenChild;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 in the middle of an import: the previous companies table is intact, and running the
 * same command again gives exactly the table (and rejects) an uninterrupted import gives.
 * The child is frozen at the line announcing the read, so the kill lands in it whatever the
 * machine's speed.
 */
@Tag("heavy")
class CompanyImportKillTest {

    @TempDir
    Path dir;

    private List<String> arguments(Path dataDir, Path input) {
        return new ArrayList<>(List.of("--duckbatch.data-dir=" + dataDir, "--duckbatch.source=" + dataDir.resolve("source.duckdb"),
                "--management.server.port=-1", "run", "companyImport", "input=" + input));
    }

    @Test
    void theSameCommandAfterAKillEqualsAnUninterruptedImport() throws Exception {
        DemoDataGenerator demo = new DemoDataGenerator();
        Path previous = this.dir.resolve("BasicCompanyDataAsOneFile-2026-10-01.zip");
        Path next = this.dir.resolve("BasicCompanyDataAsOneFile-2026-11-01.zip");
        demo.writeCompaniesHouseFile(previous, 1_000);
        demo.writeCompaniesHouseFile(next, 300_000);
        Path killed = this.dir.resolve("killed");
        Path source = killed.resolve("source.duckdb");
        assertThat(DuckbatchApplication.run(arguments(killed, previous).toArray(String[]::new))).isZero();

        FrozenChild child = FrozenChild.startAndFreezeAt(FrozenChild.duckbatch(arguments(killed, next)), "Reading 1 file(s)");
        child.kill();
        assertThat(child.output()).doesNotContain("COMPLETED");
        assertThat(DuckDbFiles.count(source, "SELECT count(*) FROM companies")).as("the previous import intact").isEqualTo(1_000);

        assertThat(DuckbatchApplication.run(arguments(killed, next).toArray(String[]::new))).isZero();
        Path uninterrupted = this.dir.resolve("uninterrupted");
        assertThat(DuckbatchApplication.run(arguments(uninterrupted, next).toArray(String[]::new))).isZero();
        assertThat(DuckDbFiles.count(source, "SELECT count(*) FROM companies")).isEqualTo(300_000);
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("ATTACH '" + source + "' AS resumed (READ_ONLY)");
            statement.execute("ATTACH '" + uninterrupted.resolve("source.duckdb") + "' AS other (READ_ONLY)");
            for (String table : List.of("companies", "companies_rejects")) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM ((SELECT * FROM resumed." + table
                        + " EXCEPT ALL SELECT * FROM other." + table + ") UNION ALL (SELECT * FROM other." + table
                        + " EXCEPT ALL SELECT * FROM resumed." + table + "))")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as(table + " differs from an uninterrupted import's").isZero();
                }
            }
        }
        assertThat(killed.resolve("source.duckdb.import")).doesNotExist();
    }

}
