package io.duckbatch.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.LongSupplier;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.ReadOnlyAttachment;
import io.duckbatch.core.duckdb.Statements;
import io.duckbatch.core.duckdb.StorageVersion;
import io.duckbatch.core.keyset.KeyRange;
import io.duckbatch.core.keyset.KeysetQuery;
import io.duckbatch.core.timing.SimplerTimer;
import io.duckbatch.core.write.AppenderItemWriter;
import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.jobs.scoring.CompanyScoringJobConfiguration;
import io.duckbatch.jobs.scoring.RticScore;
import io.duckbatch.jobs.scoring.ScoringSql;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.util.FileSystemUtils;

/**
 * {@code bench}: the companyScoring workload four ways, side by side in one process, after
 * a warm-up: stock Spring Batch (on a subset, scaled), duckbatch's chunk path, its udf mode,
 * and plain SQL; then the two writers alone, and keyset against OFFSET paging on a deep
 * table. Prints a table; for each of the four modes its CPU seconds per 1,000,000 rows and
 * its peak RSS; then ratio lines (rows per second over rows per second, but the last: peak
 * RSS over peak RSS). CPU and RSS are the whole process's, DuckDB's native threads included,
 * over the window each mode's seconds are timed on.
 */
public class ScoringBenchmark {

    /** Companies the stock mode scores: it runs one INSERT per written row. */
    static final long STOCK_ROWS = 20_000;

    /** Rows each writer writes alone: the vector writer and the Appender all, executeBatch a slice, scaled. */
    static final int WRITER_ROWS = 200_000;

    /** Rows per chunk of the writers alone: about what a 50,000-company chunk of companyScoring writes. */
    static final int WRITER_CHUNK = 35_000;

    static final int EXECUTE_BATCH_ROWS = 10_000;

    public static final long KEYSET_ROWS = 10_000_000;

    /** The job modes, whose CPU time and peak RSS get lines of their own. */
    private static final List<String> JOB_MODES = List.of("stock", "chunk", "udf", "sql");

    private final Path dir;

    private final DemoDataGenerator generator;

    /** Of every file the bench creates, its jobs' targets included: what users' runs write. */
    private final StorageVersion storageVersion;

    private final PrintStream out;

    private final int concurrency;

    private final int pageSize;

    private final List<Result> results = new ArrayList<>();

    private final ContextJobRunner jobs;

    /** One measured mode; {@code note} says when it ran on a subset and its rate was scaled. */
    record Result(String mode, long rows, double seconds, ProcessUsage.Usage usage, long peakHeapBytes, String note) {

        double rowsPerSecond() {
            return this.rows / this.seconds;
        }

        double cpuSecondsPerMillionRows() {
            return this.usage.cpuSeconds() / this.rows * 1e6;
        }

    }

    public ScoringBenchmark(Path dir, DemoDataGenerator generator, StorageVersion storageVersion, int concurrency,
            int pageSize, PrintStream out, Class<?> application) {
        this.jobs = new ContextJobRunner(application, dir.resolve("runs"), storageVersion);
        this.dir = dir;
        this.generator = generator;
        this.storageVersion = storageVersion;
        this.concurrency = concurrency;
        this.pageSize = pageSize;
        this.out = out;
    }

    /** Runs everything on a demo source of {@code companies} rows; returns the results in print order. */
    public List<Result> run(long companies, long keysetRows) throws Exception {
        Files.createDirectories(this.dir);
        Path source = source(companies);
        Path stockSource = source(Math.min(companies, STOCK_ROWS));
        this.out.printf(Locale.ROOT, "bench: %,d companies x 20 RTIC codes, concurrency %d, page %,d; work in %s%n",
                companies, this.concurrency, this.pageSize, this.dir);

        this.out.println("warm-up ...");
        Path warmUp = source(Math.min(companies, 20_000));
        runJob(StockScoringJobConfiguration.JOB_NAME, source(Math.min(companies, 2_000)));
        runJob(CompanyScoringJobConfiguration.JOB_NAME, warmUp);
        runJob(CompanyScoringJobConfiguration.JOB_NAME, warmUp, "--duckbatch.scoring.mode=udf");
        runSql(warmUp);

        Result stock = measure("stock", "JdbcPagingItemReader + JdbcBatchItemWriter, "
                + String.format(Locale.ROOT, "%,d", Math.min(companies, STOCK_ROWS)) + " companies, scaled",
                () -> runJob(StockScoringJobConfiguration.JOB_NAME, stockSource));
        Result chunk = measure("chunk", "one pass: columnar keyset pages + batch transformer + vector writer",
                () -> runJob(CompanyScoringJobConfiguration.JOB_NAME, source));
        Result udf = measure("udf", "one pass: scorer as a DuckDB function, INSERT ... SELECT per range",
                () -> runJob(CompanyScoringJobConfiguration.JOB_NAME, source, "--duckbatch.scoring.mode=udf"));
        Result sql = measure("sql", "one INSERT ... SELECT in plain SQL", () -> runSql(source));
        Result vector = measure("vector", "VectorInsertItemWriter alone (the job's writer), rows written",
                () -> writeWith("vector", database -> CompanyScoringJobConfiguration.scoringWriter(database,
                        CompanyScoringJobConfiguration.TARGET_TABLE, new SimplerTimer())));
        Result appender = measure("appender", "AppenderItemWriter alone, rows written",
                () -> writeWith("appender", ScoringBenchmark::appenderWriter));
        Result executeBatch = measure("executeBatch", "JdbcBatchItemWriter alone, rows written, "
                + String.format(Locale.ROOT, "%,d", EXECUTE_BATCH_ROWS) + " rows, scaled", () -> writeWithExecuteBatch());
        printTable();
        printUsage();

        KeysetTimes pages = pageTimes(keysetRows);
        this.out.printf(Locale.ROOT, "%,d-row table in no key order, %,d-row pages (ms, first / last):"
                + " keyset reader %.1f / %.1f (range ends for all pages once: %.0f); top-N LIMIT %.1f / %.1f;"
                + " OFFSET %.1f / %.1f%n", keysetRows, this.pageSize, pages.keysetFirst * 1e3, pages.keysetLast * 1e3,
                pages.rangeEnds * 1e3, pages.topNFirst * 1e3, pages.topNLast * 1e3, pages.offsetFirst * 1e3,
                pages.offsetLast * 1e3);
        ratio("keyset_last_vs_first", pages.keysetLast / pages.keysetFirst);
        ratio("offset_last_vs_first", pages.offsetLast / pages.offsetFirst);
        ratio("chunk_vs_stock", chunk.rowsPerSecond() / stock.rowsPerSecond());
        ratio("udf_vs_sql", udf.rowsPerSecond() / sql.rowsPerSecond());
        ratio("chunk_vs_sql", chunk.rowsPerSecond() / sql.rowsPerSecond());
        ratio("appender_vs_executebatch", appender.rowsPerSecond() / executeBatch.rowsPerSecond());
        ratio("vector_vs_appender", vector.rowsPerSecond() / appender.rowsPerSecond());
        if (chunk.usage().hasPeakRss() && udf.usage().hasPeakRss()) {
            ratio("chunk_rss_vs_udf", (double) chunk.usage().peakRssBytes() / udf.usage().peakRssBytes());
        }
        else {
            this.out.println("ratio chunk_rss_vs_udf n/a");
        }
        refresh().run(source, companies, 1);
        return this.results;
    }

    /** {@code bench refresh}: the monthly refresh alone, {@code rounds} times after a warm-up ({@link RefreshBenchmark}). */
    public double refresh(long companies, int rounds) throws Exception {
        Files.createDirectories(this.dir);
        Path source = source(companies);
        this.out.printf(Locale.ROOT, "bench refresh: %,d companies x 20 RTIC codes, concurrency %d, %d rounds; work in %s%n",
                companies, this.concurrency, rounds, this.dir);
        this.out.println("warm-up ...");
        refresh().run(source(Math.min(companies, 20_000)), Math.min(companies, 20_000), 1);
        return refresh().run(source, companies, rounds);
    }

    private RefreshBenchmark refresh() {
        return new RefreshBenchmark(this.dir, this.storageVersion, List.of("--duckbatch.concurrency=" + this.concurrency,
                "--duckbatch.page-size=" + this.pageSize), this.jobs, this.out);
    }

    private Path source(long companies) {
        Path file = this.dir.resolve("source-" + companies + ".duckdb");
        if (!Files.exists(file)) {
            this.generator.generate(file, companies);
        }
        return file;
    }

    private Path freshTarget(String mode) throws Exception {
        Path target = this.dir.resolve("target-" + mode + ".duckdb");
        Files.deleteIfExists(target);
        Files.deleteIfExists(Path.of(target + ".wal"));
        return target;
    }

    /**
     * Rows, seconds and process usage of one run, seconds and usage over the same window; the
     * peak heap is sampled around the whole run.
     */
    private record Measured(long rows, double seconds, ProcessUsage.Usage usage) {
    }

    @FunctionalInterface
    private interface Workload {

        Measured run() throws Exception;

    }

    private Result measure(String mode, String note, Workload workload) throws Exception {
        System.gc();
        HeapSampler heap = new HeapSampler();
        Measured measured;
        try {
            measured = workload.run();
        }
        finally {
            heap.stop();
        }
        Result result = new Result(mode, measured.rows(), measured.seconds(), measured.usage(), heap.peak(), note);
        this.results.add(result);
        this.out.printf(Locale.ROOT, "  %-12s %,14d rows %9.2f s %,14.0f rows/s%n", mode, result.rows(), result.seconds(),
                result.rowsPerSecond());
        return result;
    }

    /** Runs a job in a context of its own on a fresh target: its rows are every company against every code. */
    private Measured runJob(String job, Path source, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--duckbatch.source=" + source, "--duckbatch.target=" + freshTarget(job),
                "--duckbatch.concurrency=" + this.concurrency, "--duckbatch.page-size=" + this.pageSize));
        args.addAll(Arrays.asList(extra));
        ContextJobRunner.Run run = this.jobs.run(job, args);
        return new Measured(scoredRows(source), run.seconds(), run.usage());
    }

    private Measured runSql(Path source) throws Exception {
        Path target = freshTarget("sql");
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(target, this.storageVersion);
                Connection connection = database.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(CompanyScoringJobConfiguration.TARGET_DDL);
            ReadOnlyAttachment.attach(connection, "source", source);
            long rows = Statements.longValue(connection, "SELECT (SELECT count(*) FROM source.companies) * (SELECT count(*) FROM source.rtic_codes)");
            ProcessUsage usage = ProcessUsage.start();
            long start = System.nanoTime();
            try (PreparedStatement insert = connection.prepareStatement(ScoringSql.insert("source"))) {
                insert.setDouble(1, 0.5);
                insert.executeUpdate();
            }
            return new Measured(rows, (System.nanoTime() - start) / 1e9, usage.stop());
        }
    }

    /** Companies x codes of a source: the rows every mode scores. */
    private static long scoredRows(Path source) throws SQLException {
        try (DuckDbDataSource database = DuckDbDataSource.readOnly(source); Connection connection = database.getConnection()) {
            return Statements.longValue(connection, "SELECT (SELECT count(*) FROM companies) * (SELECT count(*) FROM rtic_codes)");
        }
    }

    private static List<RticScore> scores(int count) {
        List<RticScore> scores = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            scores.add(new RticScore("RTIC01", String.format(Locale.ROOT, "%08d", i), 0.5 + (i % 5) / 10.0,
                    (i % 2 == 0) ? List.of("software") : List.of("software", "data")));
        }
        return scores;
    }

    /** Writes {@value #WRITER_ROWS} score rows in chunks of {@value #WRITER_CHUNK} with the writer alone. */
    private Measured writeWith(String name, Function<DuckDbDataSource, ItemStreamWriter<RticScore>> writers) throws Exception {
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(freshTarget(name), this.storageVersion)) {
            createTarget(database);
            ItemStreamWriter<RticScore> writer = writers.apply(database);
            writer.open(new ExecutionContext());
            try {
                return write(writer, scores(WRITER_ROWS), WRITER_CHUNK);
            }
            finally {
                writer.close();
            }
        }
    }

    /** The Appender with the binder companyScoring used before its vector writer. */
    private static ItemStreamWriter<RticScore> appenderWriter(DuckDbDataSource database) {
        return AppenderItemWriter.<RticScore>builder()
            .dataSource(database)
            .table(CompanyScoringJobConfiguration.TARGET_TABLE)
            .binder((score, row) -> row.append(score.rticCode())
                .append(score.companyNumber())
                .append(score.score())
                .append(score.matchedKeywords()))
            .build();
    }

    private Measured writeWithExecuteBatch() throws Exception {
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(freshTarget("executebatch"), this.storageVersion)) {
            createTarget(database);
            return write(StockScoringJobConfiguration.executeBatchWriter(database), scores(EXECUTE_BATCH_ROWS), 1_000);
        }
    }

    private static void createTarget(DuckDbDataSource database) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(CompanyScoringJobConfiguration.TARGET_DDL);
        }
    }

    private static Measured write(ItemWriter<RticScore> writer, List<RticScore> scores, int chunkSize) throws Exception {
        ProcessUsage usage = ProcessUsage.start();
        long start = System.nanoTime();
        for (int from = 0; from < scores.size(); from += chunkSize) {
            writer.write(new Chunk<>(scores.subList(from, Math.min(scores.size(), from + chunkSize))));
        }
        return new Measured(scores.size(), (System.nanoTime() - start) / 1e9, usage.stop());
    }

    /**
     * Median seconds of the first and the last page: as the keyset reader pages (range ends
     * found once, then {@code key > ? AND key <= ?}), as a top-N keyset query
     * ({@code key > ? ORDER BY key LIMIT n}) and by OFFSET.
     */
    record KeysetTimes(double keysetFirst, double keysetLast, double topNFirst, double topNLast, double offsetFirst,
            double offsetLast, double rangeEnds) {
    }

    private KeysetTimes pageTimes(long rows) throws Exception {
        Path file = this.dir.resolve("keys-unordered-" + rows + ".duckdb");
        if (!Files.exists(file)) {
            // Stored in no particular key order, as tables loaded from elsewhere are.
            try (DuckDbDataSource database = DuckDbDataSource.readWrite(file, this.storageVersion);
                    Connection connection = database.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE companies AS SELECT printf('%010d', i) AS company_number,"
                        + " 'Company ' || i AS name FROM range(" + rows + ") t(i) ORDER BY hash(i)");
            }
        }
        KeysetQuery query = new KeysetQuery("companies", "company_number", List.of("name"), null, List.of());
        String lastPageAfter = String.format(Locale.ROOT, "%010d", rows - this.pageSize - 1);
        String firstPageUpTo = String.format(Locale.ROOT, "%010d", this.pageSize - 1);
        String lastPageUpTo = String.format(Locale.ROOT, "%010d", rows - 1);
        try (DuckDbDataSource database = DuckDbDataSource.readOnly(file); Connection connection = database.getConnection();
                PreparedStatement firstRange = connection.prepareStatement(query.rangePageSql(false));
                PreparedStatement nextRange = connection.prepareStatement(query.rangePageSql(true));
                PreparedStatement first = connection.prepareStatement(query.pageSql(false));
                PreparedStatement next = connection.prepareStatement(query.pageSql(true));
                PreparedStatement offset = connection.prepareStatement(query.pageSql(false) + " OFFSET ?")) {
            long start = System.nanoTime();
            List<KeysetQuery.Range> ranges = query.ranges(connection, KeyRange.ALL, this.pageSize);
            double rangeEnds = (System.nanoTime() - start) / 1e9;
            if (!ranges.get(ranges.size() - 1).upTo().equals(lastPageUpTo)) {
                throw new IllegalStateException("bench: the last range ends at " + ranges.get(ranges.size() - 1).upTo());
            }
            return new KeysetTimes(median(() -> page(firstRange, null, firstPageUpTo, -1)),
                    median(() -> page(nextRange, lastPageAfter, lastPageUpTo, -1)), median(() -> page(first, null, null, -1)),
                    median(() -> page(next, lastPageAfter, null, -1)), median(() -> page(offset, null, null, 0)),
                    median(() -> page(offset, null, null, rows - this.pageSize)), rangeEnds);
        }
    }

    /**
     * Reads one page through JDBC; {@code upTo} set: a range page, else a LIMIT page with
     * {@code offset} ({@code -1}: no OFFSET parameter). Returns nanoseconds.
     */
    private long page(PreparedStatement statement, String after, String upTo, long offset) {
        long start = System.nanoTime();
        try {
            int index = 1;
            if (after != null) {
                statement.setString(index++, after);
            }
            if (upTo != null) {
                statement.setString(index, upTo);
            }
            else {
                statement.setInt(index++, this.pageSize);
                if (offset >= 0) {
                    statement.setLong(index, offset);
                }
            }
            int read = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1);
                    rs.getString(2);
                    read++;
                }
            }
            if (read != this.pageSize) {
                throw new IllegalStateException("bench: a page read " + read + " rows, not " + this.pageSize);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("bench: page query failed: " + ex.getMessage(), ex);
        }
        return System.nanoTime() - start;
    }

    private static double median(LongSupplier run) {
        run.getAsLong();
        long[] nanos = new long[7];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = run.getAsLong();
        }
        Arrays.sort(nanos);
        return nanos[nanos.length / 2] / 1e9;
    }

    private void printTable() {
        this.out.println();
        this.out.printf(Locale.ROOT, "%-13s %14s %10s %14s %10s %12s %12s  %s%n", "mode", "rows", "seconds", "rows/s",
                "CPU s/M", "peak RSS", "peak heap", "what");
        for (Result result : this.results) {
            this.out.printf(Locale.ROOT, "%-13s %,14d %10.2f %,14.0f %10s %12s %9d MB  %s%n", result.mode(), result.rows(),
                    result.seconds(), result.rowsPerSecond(), cpuSecondsPerMillion(result),
                    result.usage().hasPeakRss() ? peakRssMb(result) + " MB" : "n/a", result.peakHeapBytes() >> 20,
                    result.note());
        }
        this.out.println();
    }

    /** Three significant digits: the sql mode's CPU per million rows is a few hundredths of a second. */
    private static String cpuSecondsPerMillion(Result result) {
        double value = result.cpuSecondsPerMillionRows();
        int decimals = (value > 0) ? Math.max(0, 2 - (int) Math.floor(Math.log10(value))) : 2;
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String peakRssMb(Result result) {
        return result.usage().hasPeakRss() ? String.valueOf(result.usage().peakRssBytes() >> 20) : "n/a";
    }

    /** CPU s/M: CPU seconds per 1,000,000 rows (company x code pairs for the job modes). */
    private void printUsage() {
        List<Result> jobModes = this.results.stream().filter(result -> JOB_MODES.contains(result.mode())).toList();
        for (Result result : jobModes) {
            this.out.println("cpu_seconds_per_million " + result.mode() + " " + cpuSecondsPerMillion(result));
        }
        for (Result result : jobModes) {
            this.out.println("peak_rss_mb " + result.mode() + " " + peakRssMb(result));
        }
        jobModes.stream()
            .filter(result -> !result.usage().hasPeakRss())
            .findFirst()
            .ifPresent(result -> this.out.println("peak RSS not measured: " + result.usage().peakRssMissing()));
    }

    private void ratio(String name, double value) {
        this.out.printf(Locale.ROOT, "ratio %s %.2f%n", name, value);
    }

    /** Deletes what the bench wrote but the generated sources, which later runs reuse. */
    public void cleanUp() throws Exception {
        FileSystemUtils.deleteRecursively(this.dir.resolve("runs"));
        try (var files = Files.list(this.dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("target-")).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

}
