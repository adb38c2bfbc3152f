package io.duckbatch.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.duckbatch.core.duckdb.DuckDbDataSource;
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

    public void generate(Path file, long rows) {
        if (rows < 1 || rows > MAX_ROWS) {
            throw new IllegalArgumentException(
                    "duckbatch.demo.rows must be between 1 and " + MAX_ROWS + ", was " + rows);
        }
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
