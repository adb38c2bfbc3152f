package io.duckbatch.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.Statements;
import io.duckbatch.core.duckdb.StorageVersion;
import io.duckbatch.jobs.scoring.CompanyScoringJobConfiguration;

/**
 * The monthly refresh of companyScoring: a full run records its target; then a hundredth
 * of the companies change (a quarter each renamed, given other SIC codes, removed, added)
 * and, on that changed source, a full run (fresh target) and the incremental run (a copy of
 * the recorded target) alternate {@code rounds} times; their medians give
 * {@code ratio incremental_speedup}. The changed source and the targets are removed after.
 */
final class RefreshBenchmark {

    private final Path dir;

    private final StorageVersion storageVersion;

    private final List<String> settings;

    private final ContextJobRunner jobs;

    private final PrintStream out;

    /** @param settings the runs' common settings (concurrency, page size, mode) */
    RefreshBenchmark(Path dir, StorageVersion storageVersion, List<String> settings, ContextJobRunner jobs,
            PrintStream out) {
        this.dir = dir;
        this.storageVersion = storageVersion;
        this.settings = settings;
        this.jobs = jobs;
        this.out = out;
    }

    /** Returns the ratio printed: the full run's median seconds over the incremental run's. */
    double run(Path source, long companies, int rounds) throws Exception {
        Path changed = this.dir.resolve("refresh-source.duckdb");
        Path recorded = this.dir.resolve("refresh-recorded.duckdb");
        Path target = this.dir.resolve("refresh-target.duckdb");
        try {
            Files.copy(source, changed, StandardCopyOption.REPLACE_EXISTING);
            remove(recorded);
            this.jobs.run(CompanyScoringJobConfiguration.JOB_NAME, arguments(changed, recorded));
            change(changed);
            List<Double> full = new ArrayList<>();
            List<Double> incremental = new ArrayList<>();
            List<Double> scans = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                scans.add(scanScoredInputs(changed));
                remove(target);
                full.add(this.jobs.run(CompanyScoringJobConfiguration.JOB_NAME, arguments(changed, target)).seconds());
                remove(target);
                Files.copy(recorded, target);
                incremental.add(this.jobs.run(CompanyScoringJobConfiguration.JOB_NAME, arguments(changed, target)).seconds());
                if (rounds > 1) {
                    this.out.printf(Locale.ROOT, "  round %d: full run %.2f s, incremental run %.2f s%n", round,
                            full.get(round - 1), incremental.get(round - 1));
                }
            }
            double fullSeconds = Medians.of(full);
            double incrementalSeconds = Medians.of(incremental);
            this.out.printf(Locale.ROOT, "refresh after 1%% of %,d companies changed: full run %.2f s, incremental run %.2f s%s%n",
                    companies, fullSeconds, incrementalSeconds, (rounds > 1) ? " (medians of " + rounds + ")" : "");
            double scanSeconds = Medians.of(scans);
            this.out.printf(Locale.ROOT, "  reading and hashing the scored columns of every company, the least a run that"
                    + " finds what changed must do: %.3f s (full run / that: %.1f)%n", scanSeconds, fullSeconds / scanSeconds);
            double ratio = fullSeconds / incrementalSeconds;
            this.out.printf(Locale.ROOT, "ratio incremental_speedup %.2f%n", ratio);
            return ratio;
        }
        finally {
            remove(changed);
            remove(recorded);
            remove(target);
        }
    }

    private List<String> arguments(Path source, Path target) {
        List<String> arguments = new ArrayList<>(List.of("--duckbatch.source=" + source, "--duckbatch.target=" + target));
        arguments.addAll(this.settings);
        return arguments;
    }

    /** A hundredth of the companies, by hash(company_number) % 400: a quarter each renamed, re-coded, removed, added. */
    private void change(Path source) throws Exception {
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(source, this.storageVersion);
                Connection connection = database.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("UPDATE companies SET name = name || ' Data' WHERE hash(company_number) % 400 = 0");
            statement.execute("UPDATE companies SET sic_codes = list_append(sic_codes, '62012')"
                    + " WHERE hash(company_number) % 400 = 1");
            statement.execute("DELETE FROM companies WHERE hash(company_number) % 400 = 2");
            statement.execute("INSERT INTO companies SELECT * REPLACE ('N' || company_number AS company_number)"
                    + " FROM companies WHERE hash(company_number) % 400 = 3");
        }
    }

    /** Seconds of DuckDB's bare read of the scored inputs of every company of {@code source}, hashed. */
    private double scanScoredInputs(Path source) throws Exception {
        try (DuckDbDataSource database = DuckDbDataSource.readOnly(source); Connection connection = database.getConnection()) {
            long start = System.nanoTime();
            Statements.longValue(connection, "SELECT count(*) FROM companies WHERE hash(company_number) <> hash(name, sic_codes)");
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static void remove(Path database) throws Exception {
        Files.deleteIfExists(database);
        Files.deleteIfExists(Path.of(database + ".wal"));
    }

}
