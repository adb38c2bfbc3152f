package io.duckbatch.core.keyset;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A statement over a key range, prepared once per run in both its forms: for a range open at
 * its start (the first of a table: {@code key <= ?} only) and for a range after a key
 * ({@code key > ? AND key <= ?}). Which one a range takes is the only choice made per range.
 */
public final class RangeStatement implements AutoCloseable {

    private final PreparedStatement first;

    private final PreparedStatement next;

    private RangeStatement(PreparedStatement first, PreparedStatement next) {
        this.first = first;
        this.next = next;
    }

    /**
     * @param firstSql the statement for a range without a lower bound
     * @param nextSql the statement for a range after a key
     */
    public static RangeStatement prepare(Connection connection, String firstSql, String nextSql) throws SQLException {
        PreparedStatement first = connection.prepareStatement(firstSql);
        try {
            return new RangeStatement(first, connection.prepareStatement(nextSql));
        }
        catch (SQLException | RuntimeException ex) {
            first.close();
            throw ex;
        }
    }

    /** The form for {@code range}, to be bound and run. */
    public PreparedStatement of(KeyRange range) {
        return (range.after() != null) ? this.next : this.first;
    }

    /** Closes both forms (the second even when the first fails to close). */
    @Override
    public void close() throws SQLException {
        try {
            this.first.close();
        }
        finally {
            this.next.close();
        }
    }

}
