package io.duckbatch.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * The job repository a test runs against: the default H2 file in the data dir, or a fresh
 * database on the PostgreSQL server named by {@code DUCKBATCH_TEST_POSTGRES_URL} (with
 * {@code DUCKBATCH_TEST_POSTGRES_USER}, default postgres, and
 * {@code DUCKBATCH_TEST_POSTGRES_PASSWORD}). Without that variable PostgreSQL tests are
 * skipped, saying so on the console.
 */
public final class TestJobRepository implements AutoCloseable {

    /** The repository kinds, for {@code @ValueSource} of parameterized tests. */
    public static final String H2 = "h2";

    public static final String POSTGRES = "postgres";

    private static final String SERVER_URL = System.getenv("DUCKBATCH_TEST_POSTGRES_URL");

    private static final String USER = envOr("DUCKBATCH_TEST_POSTGRES_USER", "postgres");

    private static final String PASSWORD = envOr("DUCKBATCH_TEST_POSTGRES_PASSWORD", "");

    private static final AtomicBoolean skipAnnounced = new AtomicBoolean();

    private final String kind;

    private final String url;

    private final String database;

    private TestJobRepository(String kind, String url, String database) {
        this.kind = kind;
        this.url = url;
        this.database = database;
    }

    public static TestJobRepository open(String kind, Path dataDir) throws SQLException {
        if (H2.equals(kind)) {
            return new TestJobRepository(kind, "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("jobrepository"), null);
        }
        if (SERVER_URL == null || SERVER_URL.isBlank()) {
            String message = "PostgreSQL job-repository tests SKIPPED: no server configured"
                    + " (set DUCKBATCH_TEST_POSTGRES_URL=jdbc:postgresql://host:port/postgres, see README)";
            if (skipAnnounced.compareAndSet(false, true)) {
                System.out.println("WARNING: " + message);
            }
            Assumptions.abort(message);
        }
        String database = "duckbatch_test_" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
        execute(SERVER_URL, "CREATE DATABASE " + database);
        return new TestJobRepository(kind, databaseUrl(database), database);
    }

    private static String databaseUrl(String database) {
        int query = SERVER_URL.indexOf('?');
        String base = (query >= 0) ? SERVER_URL.substring(0, query) : SERVER_URL;
        return base.substring(0, base.lastIndexOf('/') + 1) + database + ((query >= 0) ? SERVER_URL.substring(query) : "");
    }

    public String url() {
        return this.url;
    }

    public String user() {
        return isPostgres() ? USER : "";
    }

    public String password() {
        return isPostgres() ? PASSWORD : "";
    }

    public boolean isPostgres() {
        return POSTGRES.equals(this.kind);
    }

    /** A pool on this repository, for code under test that takes a DataSource; the caller closes it. */
    public HikariDataSource dataSource() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(this.url);
        dataSource.setUsername(user());
        dataSource.setPassword(password());
        return dataSource;
    }

    /** The command-line arguments that point duckbatch at this repository. */
    public List<String> arguments() {
        if (!isPostgres()) {
            return List.of();
        }
        return List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + this.url,
                "--spring.datasource.username=" + USER, "--spring.datasource.password=" + PASSWORD);
    }

    public long count(String sql) throws SQLException {
        return ((Number) column(sql).get(0)).longValue();
    }

    public void update(String sql) throws SQLException {
        execute(this.url, sql);
    }

    public List<Object> column(String sql) throws SQLException {
        try (Connection connection = connect(this.url); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<Object> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getObject(1));
            }
            return values;
        }
    }

    @Override
    public void close() throws SQLException {
        if (this.database != null) {
            execute(SERVER_URL, "DROP DATABASE IF EXISTS " + this.database + " WITH (FORCE)");
        }
    }

    @Override
    public String toString() {
        return this.kind;
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private static Connection connect(String url) throws SQLException {
        return url.startsWith("jdbc:postgresql:") ? DriverManager.getConnection(url, USER, PASSWORD) : DriverManager.getConnection(url);
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return (value != null && !value.isBlank()) ? value : fallback;
    }

}
