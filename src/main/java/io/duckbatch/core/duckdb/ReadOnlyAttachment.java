package io.duckbatch.core.duckdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Another DuckDB file attached read-only to a connection's database under an alias, so that
 * one statement reads it and writes the connection's own tables (rule 4). The path is bound;
 * only the alias, checked to be a plain name, is SQL text. Attachments are database-wide, not
 * per connection: concurrent users need aliases of their own.
 */
public final class ReadOnlyAttachment {

    private ReadOnlyAttachment() {
    }

    /** {@code ATTACH ? AS alias (READ_ONLY)}; fails naming the file when it does not exist. */
    public static void attach(Connection connection, String alias, Path file) throws SQLException {
        SqlNames.requirePlain("attached database alias", alias);
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new SQLException("Source database " + absolute + " does not exist (attached as " + alias + ")");
        }
        try (PreparedStatement attach = connection.prepareStatement("ATTACH ? AS " + alias + " (READ_ONLY)")) {
            attach.setString(1, absolute.toString());
            attach.execute();
        }
    }

    public static void detach(Connection connection, String alias) throws SQLException {
        SqlNames.requirePlain("attached database alias", alias);
        try (Statement statement = connection.createStatement()) {
            statement.execute("DETACH DATABASE IF EXISTS " + alias);
        }
    }

}
