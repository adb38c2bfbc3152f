package io.duckbatch.config;

import java.nio.file.Path;
import java.time.Duration;

import io.duckbatch.core.duckdb.StorageVersion;
import io.duckbatch.core.load.LoadMode;
import io.duckbatch.jobs.importing.ImportSettings;
import io.duckbatch.jobs.legacy.LegacySettings;
import io.duckbatch.jobs.scoring.ScoringSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code duckbatch.*} settings. Defaults live in the jar's application.yml; any of them
 * can be overridden by {@code ./config/application.yml} or {@code --duckbatch.x=value}.
 */
@ConfigurationProperties(prefix = "duckbatch", ignoreUnknownFields = false)
public class DuckbatchProperties {

    /** Folder for the demo databases, the job repository and the log file. */
    private Path dataDir = Path.of("data");

    /** Source DuckDB file (read-only). */
    private Path source;

    /** Target DuckDB file (created when missing). */
    private Path target;

    /**
     * Storage version of the DuckDB files duckbatch creates (targets, the demo source, bench
     * files): the oldest DuckDB release that must open them. Existing files keep theirs.
     */
    private StorageVersion storageVersion = StorageVersion.DEFAULT;

    /** Items per chunk: one DuckDB transaction and one repository update each. */
    private int chunkSize = 50_000;

    /** Rows per keyset page query. */
    private int pageSize = 50_000;

    /**
     * Rows a chunk step may reject into its job's dead-letter table {@code <job>_rejects}
     * (the transformer or the writer failed on them) before the step fails; per step
     * execution (each task counts its own). 0: the first bad row fails the step.
     */
    private long skipLimit = 100;

    /** Tasks (partitions) of a job run at once; default: the number of cores. */
    private int concurrency = Runtime.getRuntime().availableProcessors();

    /** Least time between two progress lines of a step. */
    private Duration progressInterval = Duration.ofSeconds(5);

    /** Observe every item read and processed (Spring Batch's per-item observations); costly. */
    private boolean observeItems = false;

    /**
     * Rule 1 for datasets a job reads several times: AUTO loads one once when it takes under
     * half the available heap; MEMORY or CHUNKED force the choice.
     */
    private LoadMode loadMode = LoadMode.AUTO;

    /** How long Ctrl-C or SIGTERM waits for running executions to stop at a chunk boundary. */
    private Duration shutdownTimeout = Duration.ofSeconds(60);

    private final Demo demo = new Demo();

    private final ScoringSettings scoring = new ScoringSettings();

    private final LegacySettings legacy = new LegacySettings();

    private final ImportSettings importing = new ImportSettings();

    private final Heartbeat heartbeat = new Heartbeat();

    private final Metrics metrics = new Metrics();

    // Scale out (README "Several machines"): distributed runs, workers, shards.

    /** The run is a remote-partitioning manager: its partitions run on workers ({@code worker}). */
    private boolean distributed = false;

    /** Where partitions of distributed runs write their shards: storage all hosts share. */
    private Path shardDir;

    private final Worker worker = new Worker();

    public boolean isDistributed() {
        return this.distributed;
    }

    public void setDistributed(boolean distributed) {
        this.distributed = distributed;
    }

    /** The shard folder; by default {@code shards} in the data dir (one host; name shared storage for several). */
    public Path getShardDir() {
        return (this.shardDir != null) ? this.shardDir : this.dataDir.resolve("shards");
    }

    public void setShardDir(Path shardDir) {
        this.shardDir = shardDir;
    }

    public Worker getWorker() {
        return this.worker;
    }

    /** A worker process ({@code java -jar duckbatch.jar worker}) and how the manager waits for it. */
    public static class Worker {

        /** Partitions a worker runs at once. */
        private int slots = Runtime.getRuntime().availableProcessors();

        /** How often a free slot asks for a request, and the manager looks for ended partitions. */
        private Duration pollInterval = Duration.ofMillis(500);

        /**
         * Attempts a partition gets in one run of the manager when its workers die (silent for
         * {@code duckbatch.heartbeat.timeout}): the last one's death fails the step.
         */
        private int maxAttempts = 3;

        public int getSlots() {
            return this.slots;
        }

        public void setSlots(int slots) {
            if (slots < 1) {
                throw new IllegalArgumentException("duckbatch.worker.slots must be at least 1, was " + slots);
            }
            this.slots = slots;
        }

        public Duration getPollInterval() {
            return this.pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("duckbatch.worker.poll-interval must be positive, was " + pollInterval);
            }
            this.pollInterval = pollInterval;
        }

        public int getMaxAttempts() {
            return this.maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("duckbatch.worker.max-attempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
        }

    }

    public Path getDataDir() {
        return this.dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Path getSource() {
        return (this.source != null) ? this.source : defaultSource();
    }

    public void setSource(Path source) {
        this.source = source;
    }

    /** The source the demo generator may create: the data dir's source.duckdb. */
    public Path defaultSource() {
        return this.dataDir.resolve("source.duckdb");
    }

    public boolean isDefaultSource() {
        return getSource().toAbsolutePath().normalize().equals(defaultSource().toAbsolutePath().normalize());
    }

    public Path getTarget() {
        return (this.target != null) ? this.target : this.dataDir.resolve("target.duckdb");
    }

    public void setTarget(Path target) {
        this.target = target;
    }

    /** As DuckDB spells it, e.g. {@code v1.0.0}. */
    public String getStorageVersion() {
        return this.storageVersion.duckdbName();
    }

    public void setStorageVersion(String storageVersion) {
        this.storageVersion = StorageVersion.named(storageVersion)
            .orElseThrow(() -> new IllegalArgumentException("duckbatch.storage-version must be one of "
                    + String.join(", ", StorageVersion.names())
                    + " (the oldest DuckDB release that must open the files duckbatch creates), was '" + storageVersion + "'"));
    }

    /** The version new DuckDB files are created in. */
    public StorageVersion storageVersionOfNewFiles() {
        return this.storageVersion;
    }

    public int getChunkSize() {
        return this.chunkSize;
    }

    public void setChunkSize(int chunkSize) {
        this.chunkSize = atLeastOne("duckbatch.chunk-size", chunkSize);
    }

    public int getPageSize() {
        return this.pageSize;
    }

    public void setPageSize(int pageSize) {
        this.pageSize = atLeastOne("duckbatch.page-size", pageSize);
    }

    public long getSkipLimit() {
        return this.skipLimit;
    }

    public void setSkipLimit(long skipLimit) {
        if (skipLimit < 0) {
            throw new IllegalArgumentException("duckbatch.skip-limit must be 0 (no row rejected) or more, was " + skipLimit);
        }
        this.skipLimit = skipLimit;
    }

    public int getConcurrency() {
        return this.concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = atLeastOne("duckbatch.concurrency", concurrency);
    }

    public Duration getProgressInterval() {
        return this.progressInterval;
    }

    public void setProgressInterval(Duration progressInterval) {
        this.progressInterval = progressInterval;
    }

    public boolean isObserveItems() {
        return this.observeItems;
    }

    public void setObserveItems(boolean observeItems) {
        this.observeItems = observeItems;
    }

    private static int atLeastOne(String property, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(property + " must be at least 1, was " + value);
        }
        return value;
    }

    public LoadMode getLoadMode() {
        return this.loadMode;
    }

    public void setLoadMode(LoadMode loadMode) {
        this.loadMode = loadMode;
    }

    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("duckbatch.shutdown-timeout must not be negative, was " + shutdownTimeout);
        }
        this.shutdownTimeout = shutdownTimeout;
    }

    public Demo getDemo() {
        return this.demo;
    }

    /** companyScoring's settings, kept with its code. */
    public ScoringSettings getScoring() {
        return this.scoring;
    }

    /** legacyBulkUpdate's settings, kept with its code. */
    public LegacySettings getLegacy() {
        return this.legacy;
    }

    /** companyImport's settings ({@code duckbatch.import.*}), kept with its code. */
    public ImportSettings getImport() {
        return this.importing;
    }

    public Heartbeat getHeartbeat() {
        return this.heartbeat;
    }

    public Metrics getMetrics() {
        return this.metrics;
    }

    public static class Demo {

        /** Companies in the generated demo source. */
        private long rows = 1_000_000;

        public long getRows() {
            return this.rows;
        }

        public void setRows(long rows) {
            this.rows = rows;
        }

    }

    /**
     * How a running execution shows it is alive to processes on other hosts (a shared job
     * repository): its owner's heartbeat. A STARTED execution whose owner on another host has
     * been silent longer than the timeout counts as dead and may be recovered.
     */
    public static class Heartbeat {

        private Duration interval = Duration.ofSeconds(10);

        private Duration timeout = Duration.ofSeconds(60);

        public Duration getInterval() {
            return this.interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** Checked once both are bound: a timeout of a few intervals tolerates a late beat. */
        public void validate() {
            if (this.interval.isNegative() || this.interval.isZero()) {
                throw new IllegalArgumentException("duckbatch.heartbeat.interval must be positive, was " + format(this.interval));
            }
            if (this.timeout.compareTo(this.interval.multipliedBy(3)) < 0) {
                throw new IllegalArgumentException("duckbatch.heartbeat.timeout (" + format(this.timeout)
                        + ") must be at least 3 x duckbatch.heartbeat.interval (" + format(this.interval) + ")");
            }
        }

        /** As the property would be written: 10s, 1500ms. */
        private static String format(Duration duration) {
            return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
        }

    }

    public static class Metrics {

        /**
         * How long the actuator endpoint stays up after the job ends, so that a scrape sees
         * the final values of a short job (0: exit at once).
         */
        private Duration keepAlive = Duration.ZERO;

        public Duration getKeepAlive() {
            return this.keepAlive;
        }

        public void setKeepAlive(Duration keepAlive) {
            if (keepAlive.isNegative()) {
                throw new IllegalArgumentException("duckbatch.metrics.keep-alive must not be negative, was " + keepAlive);
            }
            this.keepAlive = keepAlive;
        }

    }

}
