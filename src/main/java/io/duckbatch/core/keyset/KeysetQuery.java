package io.duckbatch.core.keyset;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.duckbatch.core.duckdb.SqlNames;
import io.duckbatch.core.duckdb.TableCheck;

import org.springframework.dao.DataIntegrityViolationException;

/**
 * Rules 2, 3 and 11 as SQL: pages of {@code SELECT key, cols FROM t WHERE key > ?
 * [AND (work)] ORDER BY key}, each bounded by the key its page ends at, found by DuckDB for
 * all pages at once ({@link #ranges}). Filtering, ordering and key comparison all happen in
 * DuckDB; identifiers are checked to be plain names and every value is bound. Immutable:
 * build it once ({@link #builder()}) and hand it to whatever checks or reads the rows.
 */
public final class KeysetQuery {

    private final String table;

    private final String keyColumn;

    private final List<String> columns;

    /** What the pages select: the columns, then the computed expressions. */
    private final String selectList;

    private final String workPredicate;

    private final List<Object> workParameters;

    /**
     * A query without computed expressions; {@link #builder()} builds any.
     * @param columns selected columns; the key column is always selected first
     * @param workPredicate optional SQL condition selecting the rows that still need work,
     * with {@code ?} placeholders for {@code workParameters}
     * @throws IllegalArgumentException on a name that is not plain, or parameters that do not
     * match the placeholders
     */
    public KeysetQuery(String table, String keyColumn, List<String> columns, String workPredicate,
            List<Object> workParameters) {
        this(table, keyColumn, columns, List.of(), workPredicate, workParameters);
    }

    private KeysetQuery(String table, String keyColumn, List<String> columns, List<String> computed,
            String workPredicate, List<Object> workParameters) {
        this.table = SqlNames.requirePlain("table", table);
        this.keyColumn = SqlNames.requirePlain("key column", keyColumn);
        Set<String> selected = new LinkedHashSet<>();
        selected.add(keyColumn);
        for (String column : columns) {
            selected.add(SqlNames.requirePlain("column", column));
        }
        this.columns = List.copyOf(selected);
        List<String> select = new ArrayList<>(this.columns);
        select.addAll(computed);
        this.selectList = String.join(", ", select);
        this.workPredicate = (workPredicate == null || workPredicate.isBlank()) ? null : workPredicate;
        this.workParameters = List.copyOf(workParameters);
        long placeholders = (this.workPredicate == null) ? 0 : this.workPredicate.chars().filter(c -> c == '?').count();
        if (placeholders != this.workParameters.size()) {
            throw new IllegalArgumentException("work predicate '" + workPredicate + "' has " + placeholders
                    + " '?' placeholders but " + this.workParameters.size() + " parameters were given");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public String table() {
        return this.table;
    }

    public String keyColumn() {
        return this.keyColumn;
    }

    /**
     * The selected columns, key first: result set column i+1 is {@code columns().get(i)};
     * computed expressions follow them.
     */
    public List<String> columns() {
        return this.columns;
    }

    /**
     * The classic keyset page query, {@code ... WHERE key > ? ORDER BY key LIMIT ?};
     * {@code afterKey} adds the keyset predicate (all pages but a first). DuckDB answers it
     * with a top-N over every remaining row, all columns carried: on a table not stored in key
     * order a page costs a scan of the rest of the table. The reader pages by
     * {@link #rangePageSql} instead; this one stays for comparison ({@code bench}).
     */
    public String pageSql(boolean afterKey) {
        return "SELECT " + this.selectList + " FROM " + this.table + where(afterKey, false)
                + " ORDER BY " + this.keyColumn + " LIMIT ?";
    }

    /**
     * The page query between two keys found beforehand by {@link #ranges}:
     * {@code ... WHERE [key > ? AND] key <= ? [AND (work)] ORDER BY key}.
     */
    public String rangePageSql(boolean afterKey) {
        return "SELECT " + this.selectList + " FROM " + this.table + where(afterKey, true) + " ORDER BY " + this.keyColumn;
    }

    /** Binds a range page: the range's bounds (its {@code after} when not {@code null}), then the work parameters. */
    public void bindRangePage(PreparedStatement statement, KeyRange range) throws SQLException {
        bindWhere(statement, range);
    }

    /** Every row needing work, in key order: what a load-once dataset holds; bound by {@link #bindAllRows}. */
    public String allRowsSql() {
        return "SELECT " + this.selectList + " FROM " + this.table + where(false, false) + " ORDER BY "
                + this.keyColumn;
    }

    /** Binds {@link #allRowsSql()}: the work parameters. */
    public void bindAllRows(PreparedStatement statement) throws SQLException {
        bindWhere(statement, KeyRange.ALL);
    }

    /**
     * {@code WHERE [key > ?] [AND key <= ?] [AND (work)]}, or nothing: the conditions every
     * query of this class puts on the rows, bound by {@link #bindWhere} in the same order.
     */
    private String where(boolean afterKey, boolean upTo) {
        List<String> conditions = new ArrayList<>(KeyRange.conditions(this.keyColumn, afterKey, upTo));
        if (this.workPredicate != null) {
            conditions.add("(" + this.workPredicate + ")");
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** Binds what {@link #where} asked for: the bounds that are not {@code null}, then the work parameters. */
    private int bindWhere(PreparedStatement statement, KeyRange range) throws SQLException {
        int index = range.bind(statement, 1);
        for (Object parameter : this.workParameters) {
            statement.setObject(index++, parameter);
        }
        return index;
    }

    /** Rows left to read after {@code afterKey} (all rows needing work when {@code null}). */
    public long countRemaining(Connection connection, Object afterKey) throws SQLException {
        try (PreparedStatement statement = connection
            .prepareStatement("SELECT count(*) FROM " + this.table + where(afterKey != null, false))) {
            bindWhere(statement, new KeyRange(afterKey, null));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The last key and the row count of a keyset range. */
    public record Range(Object upTo, long rows) {
    }

    /**
     * The rows needing work in {@code share} ({@link KeyRange#ALL}: the whole table) cut into
     * ranges of {@code size} rows, the last one shorter: one sort in DuckDB, instead of a
     * top-N query over all remaining rows per range. A task's share gives its ranges.
     */
    public List<Range> ranges(Connection connection, KeyRange share, int size) throws SQLException {
        String where = where(share.after() != null, share.upTo() != null);
        // Rows that fit in one range need no sort: their count and last key are one aggregate.
        try (PreparedStatement statement = connection
            .prepareStatement("SELECT count(*), max(" + this.keyColumn + ") FROM " + this.table + where)) {
            bindWhere(statement, share);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                long rows = rs.getLong(1);
                if (rows <= size) {
                    return (rows == 0) ? List.of() : List.of(new Range(rs.getObject(2), rows));
                }
            }
        }
        String sql = "SELECT " + this.keyColumn + ", n FROM (SELECT " + this.keyColumn + ", row_number() OVER (ORDER BY "
                + this.keyColumn + ") AS n, count(*) OVER () AS total FROM " + this.table + where
                + ") WHERE n % ? = 0 OR n = total ORDER BY n";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(bindWhere(statement, share), size);
            List<Range> ranges = new ArrayList<>();
            long previous = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(2);
                    ranges.add(new Range(rs.getObject(1), n - previous));
                    previous = n;
                }
            }
            return ranges;
        }
    }

    /**
     * Checks that the table and columns exist and that no row needing work has a NULL key:
     * keyset paging would silently skip such rows.
     * @param database how to name the database in messages
     */
    public void verify(Connection connection, String database) throws SQLException {
        TableCheck.requireColumns(connection, database, this.table, this.columns);
        if (declared(connection, "'PRIMARY KEY', 'NOT NULL'")) {
            // DuckDB refuses a NULL there: no need to read the keys.
            return;
        }
        long nullKeys = countNeedingWork(connection, "count(*) FILTER (WHERE " + this.keyColumn + " IS NULL)");
        if (nullKeys > 0) {
            throw new DataIntegrityViolationException("Table '" + this.table + "' of " + database + " has " + nullKeys
                    + " row(s) with NULL key column '" + this.keyColumn
                    + "'; keyset paging cannot read them: give every row a key, or remove those rows");
        }
    }

    /** An aggregate over the rows needing work, e.g. {@code count(*)}. */
    private long countNeedingWork(Connection connection, String aggregate) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + aggregate + " FROM " + this.table
                + where(false, false))) {
            bindWhere(statement, KeyRange.ALL);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Refuses a key column holding a value twice: keyset paging reads every such row, and a
     * task's output would hold the key twice. Skipped when the table declares the key its
     * PRIMARY KEY or UNIQUE (DuckDB enforces it); otherwise one aggregate over the keys.
     * @param database how to name the database in messages
     */
    public void requireUniqueKeys(Connection connection, String database) throws SQLException {
        if (declared(connection, "'PRIMARY KEY', 'UNIQUE'")) {
            return;
        }
        long duplicates = countNeedingWork(connection,
                "count(" + this.keyColumn + ") - count(DISTINCT " + this.keyColumn + ")");
        if (duplicates > 0) {
            throw new DataIntegrityViolationException("Table '" + this.table + "' of " + database + " has " + duplicates
                    + " duplicate value(s) in key column '" + this.keyColumn
                    + "' (rows beyond the first of a key); each key must be on one row: remove the duplicates");
        }
    }

    /** Whether the table declares one of these constraints (SQL string literals) on the key column alone. */
    private boolean declared(Connection connection, String constraintTypes) throws SQLException {
        if (this.table.contains(".")) {
            return false;
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM duckdb_constraints()"
                + " WHERE database_name = current_database() AND schema_name = current_schema() AND table_name = ?"
                + " AND constraint_type IN (" + constraintTypes + ") AND len(constraint_column_names) = 1"
                + " AND constraint_column_names[1] = ?")) {
            statement.setString(1, this.table);
            statement.setString(2, this.keyColumn);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    @Override
    public String toString() {
        return pageSql(true);
    }

    public static final class Builder {

        private String table;

        private String keyColumn;

        private List<String> columns = List.of();

        private List<String> computed = List.of();

        private String workPredicate;

        private List<Object> workParameters = List.of();

        private Builder() {
        }

        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** A unique, non-null column the pages are ordered and resumed by. */
        public Builder keyColumn(String keyColumn) {
            this.keyColumn = keyColumn;
            return this;
        }

        /** Columns to select besides the key (which always comes first). */
        public Builder columns(String... columns) {
            this.columns = List.of(columns);
            return this;
        }

        /**
         * SQL expressions selected after the columns, e.g. a LIST turned into a VARCHAR for a
         * columnar reader; written by the job, never taken from user input (they are not
         * checked like names).
         */
        public Builder computed(String... expressions) {
            this.computed = List.of(expressions);
            return this;
        }

        /**
         * The work predicate (rule 11): an SQL condition for the rows still needing work,
         * e.g. {@code "score IS NULL"} or {@code "updated_on > ?"}; its values are bound.
         */
        public Builder workPredicate(String predicate, Object... parameters) {
            this.workPredicate = predicate;
            this.workParameters = Arrays.asList(parameters);
            return this;
        }

        /** @throws IllegalStateException naming what cannot work: a name not plain, parameters not matching */
        public KeysetQuery build() {
            try {
                return new KeysetQuery(this.table, this.keyColumn, this.columns, this.computed, this.workPredicate,
                        this.workParameters);
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalStateException(ex.getMessage(), ex);
            }
        }

    }

}
