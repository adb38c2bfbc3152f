package io.duckbatch.core.duckdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * One DuckDB database file, opened once on first use; every {@link #getConnection()} is a
 * {@link DuckDBConnection#duplicate() duplicate} of that database's root connection, so
 * readers, writers and threads share one engine and its buffer pool (DuckDB allows a
 * single writing process per file). Closing a handed-out connection closes only it.
 *
 * <p>Every DuckDB file duckbatch writes is created here ({@link #readWrite(Path, StorageVersion)}),
 * in the {@link StorageVersion} asked for, so that the DuckDB clients users inspect results with
 * can open it; a file that exists keeps its own version.
 */
public class DuckDbDataSource implements DataSource, AutoCloseable {

    private final Path path;

    private final boolean readOnly;

    /** Format of the file when it has to be created; null for a read-only database. */
    private final StorageVersion storageVersion;

    private DuckDBConnection root;

    private DuckDbDataSource(Path path, boolean readOnly, StorageVersion storageVersion) {
        this.path = path.toAbsolutePath().normalize();
        this.readOnly = readOnly;
        this.storageVersion = storageVersion;
    }

    /** A source: the file must exist and is never written. */
    public static DuckDbDataSource readOnly(Path path) {
        return new DuckDbDataSource(path, true, null);
    }

    /** A target, created when missing in the {@link StorageVersion#DEFAULT default} storage version. */
    public static DuckDbDataSource readWrite(Path path) {
        return readWrite(path, StorageVersion.DEFAULT);
    }

    /**
     * A target: created with its parent folders when missing, in {@code storageVersion}; an
     * existing file is opened in the version it has and stays in it.
     */
    public static DuckDbDataSource readWrite(Path path, StorageVersion storageVersion) {
        if (storageVersion == null) {
            throw new IllegalArgumentException("storageVersion is required for a database that may be created");
        }
        return new DuckDbDataSource(path, false, storageVersion);
    }

    /** The database file, absolute: what another database ATTACHes to read it. */
    public Path path() {
        return this.path;
    }

    /**
     * Whether {@code file} starts as a DuckDB database file does (the magic bytes "DUCK"
     * after an 8-byte checksum); DuckDB's own refusal of another file depends on its name
     * (a .csv one is "Cannot launch in-memory database in read-only mode!").
     */
    public static boolean isDuckDbFile(Path file) throws IOException {
        byte[] header = new byte[12];
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(header, 0, header.length) == header.length
                    && new String(header, 8, 4, StandardCharsets.US_ASCII).equals("DUCK");
        }
    }

    @Override
    public synchronized DuckDBConnection getConnection() throws SQLException {
        if (this.root == null) {
            this.root = open();
        }
        return this.root.duplicate();
    }

    private DuckDBConnection open() throws SQLException {
        if (this.readOnly && !Files.isRegularFile(this.path)) {
            throw new SQLException("DuckDB database " + this.path
                    + (Files.isDirectory(this.path) ? " is a folder, not a DuckDB file" : " does not exist"));
        }
        if (!this.readOnly) {
            createParentFolders();
        }
        Properties properties = new Properties();
        if (this.readOnly) {
            properties.setProperty(DuckDBDriver.DUCKDB_READONLY_PROPERTY, "true");
        }
        else {
            // Read by DuckDB only when it creates the file; an existing file's header decides otherwise.
            this.storageVersion.applyTo(properties);
        }
        try {
            return (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + this.path, properties);
        }
        catch (SQLException ex) {
            throw new SQLException("Cannot open DuckDB database " + this.path + (this.readOnly ? " (read-only)" : "")
                    + ": " + ex.getMessage(), ex.getSQLState(), ex);
        }
    }

    private void createParentFolders() throws SQLException {
        Path parent = this.path.getParent();
        try {
            if (parent != null) {
                Folders.create(parent);
            }
        }
        catch (java.io.IOException | SecurityException ex) {
            throw new SQLException("Cannot create folder " + parent + " for DuckDB database " + this.path + ": "
                    + ex.getMessage(), ex);
        }
    }

    /** Closes the database; a later {@link #getConnection()} opens it again. */
    @Override
    public synchronized void close() throws SQLException {
        if (this.root != null) {
            try {
                this.root.close();
            }
            finally {
                this.root = null;
            }
        }
    }

    @Override
    public String toString() {
        return this.path.toString();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("DuckDbDataSource does not use java.util.logging");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException(getClass().getName() + " does not wrap " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

}
