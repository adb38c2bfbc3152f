package io.duckbatch.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads the H2 job repository a run left in its data dir. */
public final class JobRepositoryFiles {

    private JobRepositoryFiles() {
    }

    public static long count(Path dataDir, String sql) throws Exception {
        return ((Number) column(dataDir, sql).get(0)).longValue();
    }

    public static void update(Path dataDir, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url(dataDir)); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private static String url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("jobrepository");
    }

    public static List<Object> column(Path dataDir, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(url(dataDir)); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<Object> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getObject(1));
            }
            return values;
        }
    }

}
