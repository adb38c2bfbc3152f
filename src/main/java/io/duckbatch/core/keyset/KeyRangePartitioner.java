package io.duckbatch.core.keyset;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Cuts a table into {@code gridSize} tasks of consecutive keys with about as many rows each
 * (rule 11's task list): DuckDB finds the ranges' last keys in one window query, and each
 * partition's ExecutionContext holds its range ({@link #range}), so a restarted partition
 * reads the range it started with. Partitions are named
 * {@code <name>-0001}, {@code -0002}, ... in key order. Spring Batch keeps the grid size of
 * the first run of a partitioned step, so a restart cuts the same ranges as long as the table
 * is unchanged.
 */
public class KeyRangePartitioner implements Partitioner {

    static final String AFTER = "keyRange.after";

    static final String UP_TO = "keyRange.upTo";

    private final String name;

    private final DataSource dataSource;

    private final KeysetQuery keys;

    /** Rows a task holds at least (but the last): fewer, smaller tasks for a small table. */
    private final long minimumRows;

    public KeyRangePartitioner(String name, DataSource dataSource, String table, String keyColumn) {
        this(name, dataSource, table, keyColumn, 1);
    }

    /**
     * @param minimumRows the fewest rows worth a task of its own (a task costs a step
     *        execution, a reader and a commit): a table of fewer rows than {@code gridSize}
     *        times this is cut into fewer tasks, one when it holds fewer than this
     */
    public KeyRangePartitioner(String name, DataSource dataSource, String table, String keyColumn, long minimumRows) {
        if (minimumRows < 1) {
            throw new IllegalArgumentException("minimumRows of the partitioner of " + table + " must be at least 1, was "
                    + minimumRows);
        }
        this.name = name;
        this.dataSource = dataSource;
        this.keys = new KeysetQuery(table, keyColumn, List.of(), null, List.of());
        this.minimumRows = minimumRows;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        try (Connection connection = this.dataSource.getConnection()) {
            long rows = this.keys.countRemaining(connection, null);
            int size = (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                    Math.max(this.minimumRows, (rows + gridSize - 1) / Math.max(1, gridSize))));
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            Object after = null;
            for (KeysetQuery.Range range : this.keys.ranges(connection, KeyRange.ALL, size)) {
                ExecutionContext context = new ExecutionContext();
                if (after != null) {
                    context.put(AFTER, after);
                }
                context.put(UP_TO, range.upTo());
                partitions.put("%s-%04d".formatted(this.name, partitions.size() + 1), context);
                after = range.upTo();
            }
            return partitions;
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot cut " + this.keys.table() + " of " + this.dataSource + " into key ranges: "
                    + ex.getMessage(), ex);
        }
    }

    /** A partition's range of keys, as {@link #after} and {@link #upTo} give them. */
    public static KeyRange range(ExecutionContext context) {
        return new KeyRange(after(context), upTo(context));
    }

    /** The key a partition's range starts after, or {@code null} for the first range. */
    public static Object after(ExecutionContext context) {
        return context.get(AFTER);
    }

    /** The last key of a partition's range. */
    public static Object upTo(ExecutionContext context) {
        Object upTo = context.get(UP_TO);
        if (upTo == null) {
            throw new IllegalStateException("The step's ExecutionContext holds no key range (" + UP_TO
                    + "): it must run as a partition of a KeyRangePartitioner");
        }
        return upTo;
    }

}
