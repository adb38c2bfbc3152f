package io.duckbatch.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.StorageVersion;
import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.jobs.JobCatalog;

/**
 * {@code bench import}: companyImport against the limit for its work, DuckDB's bare
 * {@code CREATE TABLE ... AS SELECT * FROM read_csv(file)} of the same generated file in
 * the Companies House format into a new database of the same storage version. The two
 * alternate, {@code rounds} times each, and the medians are compared: the import also types
 * every column, builds the nested columns, sorts by company number, checks for repeated
 * numbers, adds the primary key and swaps the table in.
 */
class ImportBenchmark {

    private final Path dir;

    private final DemoDataGenerator generator;

    private final StorageVersion storageVersion;

    private final PrintStream out;

    private final ContextJobRunner jobs;

    ImportBenchmark(Path dir, DemoDataGenerator generator, StorageVersion storageVersion, PrintStream out, Class<?> application) {
        this.dir = dir;
        this.generator = generator;
        this.storageVersion = storageVersion;
        this.out = out;
        this.jobs = new ContextJobRunner(application, dir.resolve("runs"), storageVersion);
    }

    /** Returns the ratio printed: the import's rows/s over read_csv's (read_csv's median seconds over the import's). */
    double run(long companies, int rounds) throws Exception {
        Files.createDirectories(this.dir);
        Path file = this.dir.resolve("BasicCompanyData-bench-" + companies + ".csv");
        if (!Files.exists(file)) {
            this.generator.writeCompaniesHouseFile(file, companies);
        }
        double megabytes = Files.size(file) / 1e6;
        this.out.printf(Locale.ROOT, "bench import: %,d companies in the Companies House format (%,.0f MB), %d rounds; work in %s%n",
                companies, megabytes, rounds, this.dir);
        List<Double> bare = new ArrayList<>();
        List<Double> imports = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            bare.add(readCsv(file));
            imports.add(this.jobs.run(JobCatalog.COMPANY_IMPORT, List.of("--duckbatch.source=" + fresh("import"),
                    "--duckbatch.target=" + this.dir.resolve("import-target.duckdb"), "input=" + file)).seconds());
            this.out.printf(Locale.ROOT, "  round %d: read_csv %.2f s, companyImport %.2f s%n", round, bare.get(round - 1),
                    imports.get(round - 1));
        }
        double bareSeconds = Medians.of(bare);
        double importSeconds = Medians.of(imports);
        line("read_csv", "CREATE TABLE AS SELECT * FROM read_csv(file), types sniffed", companies, megabytes, bareSeconds);
        line("companyImport", "typed, nested, sorted, keyed, rejects kept, swapped in", companies, megabytes, importSeconds);
        double ratio = bareSeconds / importSeconds;
        this.out.printf(Locale.ROOT, "ratio import_vs_read_csv %.3f%n", ratio);
        return ratio;
    }

    private double readCsv(Path file) throws Exception {
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(fresh("read_csv"), this.storageVersion);
                Connection connection = database.getConnection();
                Statement statement = connection.createStatement()) {
            long start = System.nanoTime();
            statement.execute("CREATE TABLE companies AS SELECT * FROM read_csv('" + file.toString().replace("'", "''") + "')");
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private Path fresh(String name) throws Exception {
        Path database = this.dir.resolve(name + ".duckdb");
        Files.deleteIfExists(database);
        Files.deleteIfExists(Path.of(database + ".wal"));
        return database;
    }

    private void line(String mode, String note, long rows, double megabytes, double seconds) {
        this.out.printf(Locale.ROOT, "  %-14s %,12d rows %8.2f s %,12.0f rows/s %,8.1f MB/s  %s%n", mode, rows, seconds,
                rows / seconds, megabytes / seconds, note);
    }

}
