package io.duckbatch.core.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.duckbatch.core.keyset.KeysetQuery;

/**
 * Rule 1: before a step needs a dataset several times, measure it in DuckDB (rows, and the
 * heap they would take once loaded, sampled by {@link RowHeapEstimate}) against the heap
 * the JVM has left, and load it once when it takes under half of that; otherwise it stays
 * chunked. {@link LoadMode} can force either. The decision and its numbers are logged.
 */
public final class LoadDecider {

    /** Share of the available heap a loaded dataset may take (rule 1: under 50%). */
    static final double SHARE_OF_AVAILABLE = 0.5;

    private static final JvmLayout LAYOUT = JvmLayout.current();

    private static final Logger log = LoggerFactory.getLogger(LoadDecider.class);

    private final DataSource dataSource;

    private final KeysetQuery query;

    private final LoadMode mode;

    private final LongSupplier availableBytes;

    private LoadDecider(Builder builder) {
        this.dataSource = builder.dataSource;
        this.query = builder.query;
        this.mode = builder.mode;
        this.availableBytes = builder.availableBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    public LoadDecision decide() throws SQLException {
        long rows;
        double rowBytes;
        try (Connection connection = this.dataSource.getConnection()) {
            rows = this.query.countRemaining(connection, null);
            rowBytes = RowHeapEstimate.averageBytes(connection, this.query, LAYOUT);
        }
        long estimatedBytes = (long) (rows * rowBytes);
        long available = this.availableBytes.getAsLong();
        boolean loadOnce = switch (this.mode) {
            case MEMORY -> true;
            case CHUNKED -> false;
            case AUTO -> estimatedBytes < SHARE_OF_AVAILABLE * available;
        };
        LoadDecision decision = new LoadDecision(this.query.table(), loadOnce, this.mode != LoadMode.AUTO, rows,
                estimatedBytes, available);
        log.info("Load decision for {}", decision);
        return decision;
    }

    /** Heap the JVM can still give: its maximum less what is in use now. */
    public static long availableHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }

    public static final class Builder {

        private DataSource dataSource;

        private KeysetQuery query;

        private LoadMode mode = LoadMode.AUTO;

        private LongSupplier availableBytes = LoadDecider::availableHeap;

        private Builder() {
        }

        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /** The rows that would be loaded: the query a job built for them, as its readers read them. */
        public Builder query(KeysetQuery query) {
            this.query = query;
            return this;
        }

        public Builder mode(LoadMode mode) {
            this.mode = mode;
            return this;
        }

        /** What "available memory" is; defaults to {@link #availableHeap()}. */
        public Builder availableBytes(LongSupplier availableBytes) {
            this.availableBytes = availableBytes;
            return this;
        }

        public LoadDecider build() {
            if (this.dataSource == null) {
                throw new IllegalStateException("LoadDecider needs dataSource(...): the database holding the dataset");
            }
            if (this.query == null) {
                throw new IllegalStateException("LoadDecider needs query(...): the rows that would be loaded");
            }
            if (this.mode == null || this.availableBytes == null) {
                throw new IllegalStateException("LoadDecider mode and availableBytes must not be null");
            }
            return new LoadDecider(this);
        }

    }

}
