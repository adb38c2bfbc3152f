import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a DuckDB client reads from database files, printed so that two clients can be
 * compared. OlderDuckDbClientsTest runs it in a child JVM in source-file mode with a DuckDB
 * driver of another release on the class path ({@code java -cp duckdb_jdbc-1.4.4.0.jar
 * DuckDbTableCounts.java FILE...}): this is the 1.x client a user inspects duckbatch's files
 * with, which cannot share a JVM with the 2.0 driver. Kept to the JDBC API both releases have.
 *
 * <p>Prints {@code client <version>}, then for every file and table one line: the rows, and
 * per column its non-NULL and distinct values ({@code count(c)}, {@code count(DISTINCT c)}),
 * which decodes every value, STRUCTs and LISTs included. Opens each file read-only; exits 1
 * with DuckDB's message on stderr when a file cannot be read.
 */
public class DuckDbTableCounts {

    public static void main(String[] files) throws Exception {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        boolean versionPrinted = false;
        for (String file : files) {
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file, readOnly);
                    Statement statement = connection.createStatement()) {
                if (!versionPrinted) {
                    System.out.println("client " + scalar(statement, "SELECT version()"));
                    versionPrinted = true;
                }
                for (String table : strings(statement, "SELECT table_name FROM duckdb_tables()"
                        + " WHERE database_name = current_database() ORDER BY table_name")) {
                    System.out.println(file + " " + table + ": " + counts(connection, table));
                }
            }
            catch (SQLException ex) {
                System.err.println("Cannot read " + file + ": " + ex.getMessage());
                System.exit(1);
            }
        }
    }

    private static String counts(Connection connection, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT column_name FROM duckdb_columns()"
                + " WHERE database_name = current_database() AND table_name = ? ORDER BY column_index")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        for (String column : columns) {
            String quoted = quote(column);
            sql.append(", count(").append(quoted).append("), count(DISTINCT ").append(quoted).append(")");
        }
        sql.append(" FROM ").append(quote(table));
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql.toString())) {
            rs.next();
            StringBuilder line = new StringBuilder(rs.getString(1) + " rows");
            for (int i = 0; i < columns.size(); i++) {
                line.append(", ").append(columns.get(i)).append(' ').append(rs.getString(2 + 2 * i))
                    .append('/').append(rs.getString(3 + 2 * i));
            }
            return line.toString();
        }
    }

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String scalar(Statement statement, String sql) throws SQLException {
        return strings(statement, sql).get(0);
    }

    private static List<String> strings(Statement statement, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

}
