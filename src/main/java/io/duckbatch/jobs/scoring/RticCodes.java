package io.duckbatch.jobs.scoring;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.duckbatch.core.duckdb.TableCheck;

/** Reads the scoring tasks from the source's {@code rtic_codes} table. */
public final class RticCodes {

    static final String TABLE = "rtic_codes";

    static final List<String> COLUMNS = List.of("rtic_code", "label", "keywords", "sic_prefixes");

    private static final String SELECT = "SELECT " + String.join(", ", COLUMNS) + " FROM " + TABLE;

    private RticCodes() {
    }

    /** Every code, in code order. */
    public static List<RticCode> all(DataSource source) throws SQLException {
        return query(source, SELECT + " ORDER BY rtic_code", null);
    }

    /**
     * Checks the table's columns and that every code is there once and not NULL: a task's
     * rows are told apart by their code.
     * @param database how to name the database in messages
     */
    static void verify(Connection connection, String database) throws SQLException {
        TableCheck.requireColumns(connection, database, TABLE, COLUMNS);
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) - count(rtic_code),"
                + " count(rtic_code) - count(DISTINCT rtic_code) FROM " + TABLE); ResultSet rs = statement.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0 || rs.getLong(2) > 0) {
                throw new IllegalStateException("Table " + TABLE + " of " + database + " has " + rs.getLong(1)
                        + " NULL and " + rs.getLong(2) + " repeated rtic_code value(s): give every code one row");
            }
        }
    }

    public static RticCode find(DataSource source, String code) throws SQLException {
        List<RticCode> found = query(source, SELECT + " WHERE rtic_code = ?", code);
        if (found.isEmpty()) {
            throw new IllegalStateException("RTIC code '" + code + "' not found in table " + TABLE + " of " + source);
        }
        return found.get(0);
    }

    private static List<RticCode> query(DataSource source, String sql, String code) throws SQLException {
        try (Connection connection = source.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            if (code != null) {
                statement.setString(1, code);
            }
            List<RticCode> codes = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    codes.add(new RticCode(rs.getString(1), rs.getString(2), strings(rs.getArray(3)),
                            strings(rs.getArray(4))));
                }
            }
            return codes;
        }
    }

    /** A VARCHAR[] value as a list ({@code null} stays {@code null}). */
    public static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Object[] values = (Object[]) array.getArray();
        List<String> result = new ArrayList<>(values.length);
        for (Object value : values) {
            result.add((value != null) ? value.toString() : null);
        }
        return result;
    }

}
