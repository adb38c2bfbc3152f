package io.duckbatch.core.keyset;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys after {@code after} up to and including {@code upTo}, {@code (after, upTo]}, as
 * DuckDB compares them: a {@code null} bound is open ({@code after}: from the first key;
 * {@code upTo}: to the last). Rule 11's task (a partition's share of a table) and page are
 * such ranges. Bounds are only ever compared in SQL ({@link #conditions}), never in Java,
 * and always bound as values ({@link #bind}).
 */
public record KeyRange(Object after, Object upTo) {

    /** Every key. */
    public static final KeyRange ALL = new KeyRange(null, null);

    /** The keys of this range after {@code key} ({@code null}: the whole range), e.g. where a resumed task goes on. */
    public KeyRange resumedAfter(Object key) {
        return (key != null) ? new KeyRange(key, this.upTo) : this;
    }

    /** This range's conditions on {@code keyColumn}, bound by {@link #bind} in the same order. */
    public List<String> conditions(String keyColumn) {
        return conditions(keyColumn, this.after != null, this.upTo != null);
    }

    /**
     * The conditions of a range with the given bounds, {@code key > ?} and {@code key <= ?}, for
     * SQL prepared before the bounds are known.
     */
    public static List<String> conditions(String keyColumn, boolean after, boolean upTo) {
        List<String> conditions = new ArrayList<>(2);
        if (after) {
            conditions.add(keyColumn + " > ?");
        }
        if (upTo) {
            conditions.add(keyColumn + " <= ?");
        }
        return conditions;
    }

    /**
     * Binds the bounds that are not {@code null}, in {@link #conditions} order, from parameter
     * {@code index} on.
     * @return the index of the next parameter
     */
    public int bind(PreparedStatement statement, int index) throws SQLException {
        if (this.after != null) {
            statement.setObject(index++, this.after);
        }
        if (this.upTo != null) {
            statement.setObject(index++, this.upTo);
        }
        return index;
    }

    @Override
    public String toString() {
        return "(" + this.after + ", " + this.upTo + "]";
    }

}
