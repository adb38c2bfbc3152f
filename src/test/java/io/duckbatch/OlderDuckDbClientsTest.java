package io.duckbatch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.support.DuckDbFiles;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users inspect duckbatch's results from Python, the DuckDB CLI or a SQL GUI, often of a DuckDB
 * 1.x release. DuckDB 2.0 writes new files in storage format 69 unless told otherwise, and every
 * 1.x client refuses those ("Trying to read a database file with version number 69, ... we can
 * only read 64-68"). So this runs every job on a generated demo source, then has a real DuckDB
 * 1.4 client read the source and the target, and checks that it reads what DuckDB 2.0 reads.
 *
 * <p>The 1.x driver cannot share a JVM with the 2.0 one: maven-dependency-plugin copies it to
 * {@code target/duckdb1} (its version is {@code duckdb1.version} in the pom) and it runs in a
 * child JVM, executing {@code src/test/resources/older-client/DuckDbTableCounts.java} in
 * source-file mode; the same program runs once more with the 2.0 driver, and both outputs
 * (every table's rows, each column's non-NULL and distinct values) must be equal.
 */
@Tag("heavy")
class OlderDuckDbClientsTest {

    private static final int COMPANIES = 20_000;

    @TempDir
    Path dir;

    @Test
    void aDuckDb1ClientReadsTheDemoSourceAndEveryJobsTables() throws Exception {
        // legacyBulkUpdate updates what phoneFeatures built, which reads what companyCopy built.
        for (String job : List.of("companyScoring", "companyCopy", "phoneFeatures", "legacyBulkUpdate", "companyRegions")) {
            assertThat(runJob(job)).as(job).isZero();
        }
        Path source = this.dir.resolve("source.duckdb");
        Path target = this.dir.resolve("target.duckdb");

        List<String> older = tableCounts(duckDb1Driver(), source, target);
        List<String> current = tableCounts(currentDriver(), source, target);

        assertThat(older.get(0)).startsWith("client v1.");
        assertThat(current.get(0)).startsWith("client v2.");
        assertThat(older.subList(1, older.size())).isEqualTo(current.subList(1, current.size()));
        assertThat(current.subList(1, current.size()).stream().map(line -> line.substring(0, line.indexOf(':'))))
            .containsExactly(source + " companies", source + " postcode_regions", source + " rtic_codes",
                    target + " companies_clean", target + " companies_enriched", target + " companyRegions_rejects",
                    target + " companyScoring_rejects", target + " company_phone_features", target + " company_regions",
                    target + " legacyBulkUpdate_rejects", target + " rtic_scored_codes", target + " rtic_scored_companies",
                    target + " rtic_scores");
        assertThat(current).filteredOn(line -> line.startsWith(target + " rtic_scores:"))
            .singleElement().asString().doesNotStartWith(target + " rtic_scores: 0 rows");
    }

    /** A source companyImport wrote (companies with every nested column, and its rejects) reads the same in 1.x. */
    @Test
    void aDuckDb1ClientReadsAnImportedSource() throws Exception {
        Path bulkFile = this.dir.resolve("BasicCompanyDataAsOneFile-2026-11-01.zip");
        new DemoDataGenerator().writeCompaniesHouseFile(bulkFile, COMPANIES);
        Path source = this.dir.resolve("imported.duckdb");
        assertThat(DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "--duckbatch.source=" + source,
                "--management.server.port=-1", "run", "companyImport", "input=" + bulkFile)).isZero();

        List<String> older = tableCounts(duckDb1Driver(), source);
        List<String> current = tableCounts(currentDriver(), source);
        assertThat(older.subList(1, older.size())).isEqualTo(current.subList(1, current.size()));
        assertThat(current.subList(1, current.size()).stream().map(line -> line.substring(0, line.indexOf(':'))))
            .containsExactly(source + " companies", source + " companies_rejects");
    }

    @Test
    void theSettingDecidesTheStorageVersionOfTheDemoSourceAndTheTarget() throws Exception {
        assertThat(runJob("companyScoring", "--duckbatch.storage-version=v1.5.0")).isZero();
        assertThat(storageVersionOf(this.dir.resolve("source.duckdb"))).isEqualTo("v1.5.0+");
        assertThat(storageVersionOf(this.dir.resolve("target.duckdb"))).isEqualTo("v1.5.0+");
    }

    /** A target in DuckDB 2.0's own format, as duckbatch wrote them before: used as it is, not rewritten. */
    @Test
    void anExistingTargetKeepsItsStorageVersion() throws Exception {
        Path target = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(target, "CREATE TABLE notes (note VARCHAR)", "INSERT INTO notes VALUES ('kept')");
        assertThat(storageVersionOf(target)).isEqualTo("v2.0.0+");

        assertThat(runJob("companyScoring")).isZero();
        assertThat(storageVersionOf(target)).isEqualTo("v2.0.0+");
        assertThat(DuckDbFiles.column(target, "SELECT note FROM notes")).containsExactly("kept");
        assertThat(DuckDbFiles.count(target, "SELECT count(*) FROM rtic_scores")).isPositive();
    }

    private int runJob(String job, String... extra) {
        List<String> args = new ArrayList<>(List.of("--duckbatch.data-dir=" + this.dir, "--duckbatch.demo.rows=" + COMPANIES,
                "--spring.batch.job.name=" + job));
        args.addAll(List.of(extra));
        return DuckbatchApplication.run(args.toArray(String[]::new));
    }

    /** As DuckDB 2.0 reports it: the oldest release that reads the file, e.g. {@code v1.0.0+}. */
    private static String storageVersionOf(Path file) throws Exception {
        return (String) DuckDbFiles.column(file, "SELECT tags['storage_version'] FROM duckdb_databases()"
                + " WHERE database_name = current_database()").get(0);
    }

    /** The output lines of DuckDbTableCounts run with {@code driver} in a child JVM; fails with its output when it does. */
    private List<String> tableCounts(Path driver, Path... files) throws Exception {
        Path program = Path.of(OlderDuckDbClientsTest.class.getResource("/older-client/DuckDbTableCounts.java").toURI());
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                driver.toString(), program.toString()));
        for (Path file : files) {
            command.add(file.toString());
        }
        Path output = Files.createTempFile(this.dir, "table-counts-", ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("DuckDbTableCounts with " + driver + " ended").isTrue();
        }
        finally {
            process.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("DuckDbTableCounts with " + driver.getFileName() + " said:\n" + String.join("\n", lines))
            .isZero();
        return lines;
    }

    private static Path duckDb1Driver() {
        String jar = System.getProperty("duckbatch.test.duckdb1-driver");
        assertThat(jar).as("system property duckbatch.test.duckdb1-driver (set by the pom's surefire configuration;"
                + " run through Maven)").isNotNull();
        assertThat(Path.of(jar)).as("the DuckDB 1.x driver copied by maven-dependency-plugin").isRegularFile();
        return Path.of(jar);
    }

    private static Path currentDriver() throws Exception {
        return Path.of(DuckDBDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

}
