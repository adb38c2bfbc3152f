package io.duckbatch.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.Folders;
import io.duckbatch.core.duckdb.StorageVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates the demo source database in-engine with SQL over {@code range()}: the
 * {@code companies} table (UK-style company numbers, names, SIC codes, some NULL phones and
 * addresses), about twenty {@code rtic_codes}, and a {@code postcode_regions} lookup with as
 * many rows as there are companies. Deterministic: two generations hold the
 * same rows. Written to a temporary file and moved into place, so a crash never leaves a
 * half-generated source behind; the file is in the storage version it was given, so that
 * older DuckDB clients can open the demo too.
 */
public class DemoDataGenerator {

    /** Company numbers carry a six-digit serial per prefix: 20 prefixes cycle, so 20M fit. */
    public static final long MAX_ROWS = 20_000_000;

    private static final Logger log = LoggerFactory.getLogger(DemoDataGenerator.class);

    private final StorageVersion storageVersion;

    /** Sources in the {@link StorageVersion#DEFAULT default} storage version. */
    public DemoDataGenerator() {
        this(StorageVersion.DEFAULT);
    }

    public DemoDataGenerator(StorageVersion storageVersion) {
        this.storageVersion = storageVersion;
    }

    /**
     * Writes the demo companies as Companies House's bulk file (companies_house.sql): a
     * {@code .csv}, a {@code .csv.gz} or a {@code .zip} holding one CSV, as the monthly
     * download is. Written under a temporary name and moved into place.
     */
    public void writeCompaniesHouseFile(Path file, long rows) {
        requireRows(rows);
        Path target = newOrRegularFile(file, "a new .zip, .csv or .csv.gz file");
        String name = target.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean zip = name.endsWith(".zip");
        Path partial = target.resolveSibling(target.getFileName() + ".writing" + (name.endsWith(".gz") ? ".csv.gz" : ".csv"));
        Path zipped = target.resolveSibling(target.getFileName() + ".writing.zip");
        long start = System.nanoTime();
        try {
            Folders.create(target.getParent());
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                    Statement statement = connection.createStatement()) {
                statement.execute(script("postcode_regions.sql").replace("${rows}", Long.toString(rows)));
                statement.execute(script("companies.sql").replace("${rows}", Long.toString(rows)));
                statement.execute(script("companies_house.sql").replace("${file}", partial.toString().replace("'", "''")));
            }
            if (zip) {
                String entry = target.getFileName().toString().replaceFirst("(?i)\\.zip$", ".csv");
                try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zipped))) {
                    out.putNextEntry(new ZipEntry(entry));
                    Files.copy(partial, out);
                    out.closeEntry();
                }
                Files.move(zipped, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            else {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        catch (SQLException | IOException ex) {
            throw new IllegalStateException("Cannot write demo file " + target + ": " + ex.getMessage(), ex);
        }
        finally {
            deleteQuietly(partial);
            deleteQuietly(zipped);
        }
        log.info("Wrote {} demo companies in the Companies House format to {} in {} ms", rows, target,
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Writes the demo's RTIC codes as a codes file ({@code duckbatch.scoring.codes}): header
     * {@code rtic_code,label,keywords,sic_prefixes}, lists separated by {@code ;}.
     */
    public void writeCodesFile(Path file) {
        Path target = newOrRegularFile(file, "a new .csv file");
        try {
            Folders.create(target.getParent());
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                    Statement statement = connection.createStatement()) {
                statement.execute(script("rtic_codes.sql"));
                statement.execute("COPY (SELECT rtic_code, label, array_to_string(keywords, ';') AS keywords,"
                        + " array_to_string(sic_prefixes, ';') AS sic_prefixes FROM rtic_codes ORDER BY rtic_code) TO '"
                        + target.toString().replace("'", "''") + "' (HEADER, DELIMITER ',')");
            }
        }
        catch (SQLException | IOException ex) {
            throw new IllegalStateException("Cannot write codes file " + target + ": " + ex.getMessage(), ex);
        }
        log.info("Wrote the demo's RTIC codes to {}", target);
    }

    /**
     * The file, absolute, when it does not exist or is a regular file: a file written under
     * another name and moved into place (as here and by DuckDB's COPY) would replace a device
     * such as /dev/null or an empty folder.
     */
    private static Path newOrRegularFile(Path file, String expected) {
        Path target = file.toAbsolutePath().normalize();
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new IllegalArgumentException("Cannot write demo file " + target + ": it exists and is not a regular file;"
                    + " name " + expected);
        }
        return target;
    }

    private static void requireRows(long rows) {
        if (rows < 1 || rows > MAX_ROWS) {
            throw new IllegalArgumentException(
                    "duckbatch.demo.rows must be between 1 and " + MAX_ROWS + ", was " + rows);
        }
    }

    public void generate(Path file, long rows) {
        requireRows(rows);
        Path target = file.toAbsolutePath().normalize();
        Path partial = target.resolveSibling(target.getFileName() + ".generating");
        long start = System.nanoTime();
        log.info("Generating demo source {} with {} companies", target, rows);
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(partial);
            try (DuckDbDataSource database = DuckDbDataSource.readWrite(partial, this.storageVersion);
                    Connection connection = database.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute(script("rtic_codes.sql"));
                statement.execute(script("postcode_regions.sql").replace("${rows}", Long.toString(rows)));
                statement.execute(script("companies.sql").replace("${rows}", Long.toString(rows)));
                statement.execute("CHECKPOINT");
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (SQLException | IOException ex) {
            throw new IllegalStateException("Cannot generate demo source " + target + ": " + ex.getMessage(), ex);
        }
        finally {
            deleteQuietly(partial);
            deleteQuietly(partial.resolveSibling(partial.getFileName() + ".wal"));
        }
        log.info("Generated demo source {} in {} ms", target, (System.nanoTime() - start) / 1_000_000);
    }

    private static String script(String name) {
        try (InputStream in = DemoDataGenerator.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource /demo/" + name + " in the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        }
        catch (IOException ex) {
            log.warn("Could not delete {}: {}", path, ex.getMessage());
        }
    }

}
