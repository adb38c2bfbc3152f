package io.duckbatch.cli;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.jobs.scoring.CompanyScoringJobConfiguration;
import io.duckbatch.support.PrometheusText;
import io.duckbatch.support.PrometheusText.Sample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator over real HTTP while a real job runs in this JVM: one companyScoring run,
 * slowed down (one task at a time, small pages), is scraped while it runs and once it has
 * ended (during {@code duckbatch.metrics.keep-alive}, which the test ends); the tests below
 * read those scrapes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class ActuatorEndpointTest {

    private static final int COMPANIES = 200_000;

    /** Tasks of companyScoring at concurrency 1: key ranges, a few per thread. */
    private static final int TASKS = CompanyScoringJobConfiguration.PARTITIONS_PER_THREAD;

    /**
     * Generous timeouts: a request timing out on a busy machine would read as a path not
     * served; a port nothing listens on yet refuses at once whatever the timeout.
     */
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    private Path dir;

    private int port;

    private int exitCode = -1;

    /** The first scrape taken while a chunk-oriented step was part-way through. */
    private PrometheusText midRun;

    /** Status codes of actuator paths, requested right after {@link #midRun}. */
    private final Map<String, Integer> midRunStatus = new LinkedHashMap<>();

    private String midRunHealth;

    private Optional<Boolean> reachableOnANonLoopbackAddress = Optional.empty();

    /** The scrape after the job ended. */
    private PrometheusText ended;

    @BeforeAll
    void runAJobAndScrapeIt() throws Exception {
        this.dir = Files.createTempDirectory("duckbatch-actuator");
        this.port = freePort();
        JobThread job = JobThread.start("--duckbatch.data-dir=" + this.dir, "--duckbatch.demo.rows=" + COMPANIES,
                "--duckbatch.concurrency=1", "--duckbatch.page-size=500", "--duckbatch.chunk-size=500",
                "--management.server.port=" + this.port);
        try {
            while (!job.keepsMetricsAlive()) {
                Optional<String> text = get(this.port, "/actuator/prometheus").map(HttpResponse::body);
                if (text.isPresent() && this.midRun == null) {
                    PrometheusText scrape = PrometheusText.parse(text.get());
                    if (partWayThroughAStep(scrape)) {
                        this.midRun = scrape;
                        for (String path : List.of("health", "info", "metrics", "prometheus", "env", "beans", "heapdump",
                                "shutdown", "loggers", "threaddump", "configprops")) {
                            this.midRunStatus.put(path, get(this.port, "/actuator/" + path).map(HttpResponse::statusCode).orElse(-1));
                        }
                        this.midRunHealth = get(this.port, "/actuator/health").map(HttpResponse::body).orElse("");
                        this.reachableOnANonLoopbackAddress = nonLoopbackAddress().map(this::accepts);
                    }
                }
                Thread.sleep(20);
            }
            // The job has ended and every meter has its final value (Micrometer records a
            // job's timer before it stops the job's long-task timer: a scrape that merely
            // sees the timer may still count the job active).
            this.ended = get(this.port, "/actuator/prometheus").map(r -> PrometheusText.parse(r.body())).orElse(null);
        }
        finally {
            this.exitCode = job.end();
        }
    }

    /**
     * duckbatch run on a thread of this JVM with a keep-alive longer than any test, which the
     * test ends by interrupting the thread: scrapes after the job are taken once the job
     * has ended (its thread waits in the keep-alive), not within a window of seconds.
     */
    private static final class JobThread {

        private final Thread thread;

        private final AtomicInteger exitCode = new AtomicInteger(-1);

        private final long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();

        private JobThread(String... args) {
            List<String> all = new ArrayList<>(List.of(args));
            all.add("--duckbatch.metrics.keep-alive=1h");
            this.thread = new Thread(() -> this.exitCode.set(DuckbatchApplication.run(all.toArray(String[]::new))),
                    "actuator-test-job");
        }

        static JobThread start(String... args) {
            JobThread job = new JobThread(args);
            job.thread.start();
            return job;
        }

        /** Whether the job has ended and its thread waits in {@link ActuatorAddress#keepAlive}. */
        boolean keepsMetricsAlive() {
            assertThat(this.thread.isAlive()).as("the job thread is running or keeping its metrics alive").isTrue();
            assertThat(System.nanoTime()).as("the job ends within five minutes").isLessThan(this.deadline);
            return Arrays.stream(this.thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(ActuatorAddress.class.getName())
                        && frame.getMethodName().equals("keepAlive"));
        }

        /** Ends the keep-alive, waits for the application to close and returns its exit code. */
        int end() throws InterruptedException {
            this.thread.interrupt();
            this.thread.join(Duration.ofMinutes(2).toMillis());
            assertThat(this.thread.isAlive()).as("the application closes once its keep-alive ends").isFalse();
            return this.exitCode.get();
        }

    }

    @AfterAll
    void deleteFiles() throws IOException {
        FileSystemUtils.deleteRecursively(this.dir);
    }

    private static boolean partWayThroughAStep(PrometheusText scrape) {
        return scrape.samples("duckbatch_step_rows_done").stream().anyMatch(done -> {
            double planned = scrape.sum("duckbatch_step_rows_planned", s -> s.labels().equals(done.labels()));
            return done.value() > 0 && done.value() < planned;
        });
    }

    private Optional<HttpResponse<String>> get(int port, String path) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .build();
        try {
            return Optional.of(this.http.send(request, HttpResponse.BodyHandlers.ofString()));
        }
        catch (IOException notListeningYet) {
            return Optional.empty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        return NetworkInterface.networkInterfaces()
            .flatMap(NetworkInterface::inetAddresses)
            .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
            .findFirst();
    }

    private boolean accepts(InetAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, this.port), 2000);
            return true;
        }
        catch (IOException refused) {
            return false;
        }
    }

    @Test
    void progressPhasesAndStepsAreScrapedWhileTheJobRuns() {
        assertThat(this.midRun).as("a scrape while a step was part-way through").isNotNull();
        Sample step = this.midRun.samples("duckbatch_step_rows_done")
            .stream()
            .filter(done -> done.value() > 0
                    && done.value() < this.midRun.sum("duckbatch_step_rows_planned", s -> s.labels().equals(done.labels())))
            .findFirst()
            .orElseThrow();
        assertThat(step.label("job_name")).isEqualTo("companyScoring");
        assertThat(step.label("step_name")).startsWith("scoreCompanyRange:companies-");
        assertThat(this.midRun.sum("duckbatch_step_rows_planned", s -> s.labels().equals(step.labels())))
            .isEqualTo(COMPANIES / TASKS);
        assertThat(this.midRun.sum("duckbatch_step_rows_per_second", s -> s.labels().equals(step.labels())))
            .isPositive();
        // The phases of the running step, published after every chunk.
        assertThat(this.midRun.sum("duckbatch_phase_seconds_count",
                s -> s.label("step_name").equals(step.label("step_name")) && s.label("phase").equals("read"))).isPositive();
        assertThat(this.midRun.sum("duckbatch_phase_seconds_sum",
                s -> s.label("step_name").equals(step.label("step_name")) && s.label("phase").equals("write"))).isPositive();
        // Spring Batch's long-task timers: the job and the running step are active.
        assertThat(this.midRun.sum("spring_batch_job_active_seconds_count",
                s -> "companyScoring".equals(s.label("spring_batch_job_name")))).isEqualTo(1);
        assertThat(this.midRun.sum("spring_batch_step_active_seconds_count",
                s -> step.label("step_name").equals(s.label("spring_batch_step_name")))).isEqualTo(1);
        assertThat(this.midRun.has("spring_batch_job_seconds_count")).as("no job has ended yet").isFalse();
    }

    @Test
    void theEndedJobLeavesItsFinalValues() {
        assertThat(this.exitCode).isZero();
        assertThat(this.ended).as("a scrape after the job ended, during the keep-alive").isNotNull();
        assertThat(this.ended.samples("spring_batch_job_seconds_count")).singleElement().satisfies(job -> {
            assertThat(job.label("spring_batch_job_name")).isEqualTo("companyScoring");
            assertThat(job.label("spring_batch_job_status")).isEqualTo("COMPLETED");
            assertThat(job.value()).isEqualTo(1);
        });
        assertThat(this.ended.sum("spring_batch_job_active_seconds_count", s -> true)).isZero();
        // Every task read its range of companies: the gauges agree with the work done.
        List<Sample> done = this.ended.samples("duckbatch_step_rows_done");
        assertThat(done).hasSize(TASKS).allSatisfy(step -> assertThat(step.value()).isEqualTo(COMPANIES / TASKS));
        assertThat(this.ended.sum("duckbatch_step_rows_planned", s -> true)).isEqualTo(COMPANIES);
        // 500-row chunks: Spring Batch observes a chunk write per chunk; the writer's phase
        // times the chunks that kept at least one scored row.
        assertThat(this.ended.sum("spring_batch_chunk_write_seconds_count",
                s -> "SUCCESS".equals(s.label("spring_batch_chunk_write_status")))).isEqualTo(COMPANIES / 500);
        assertThat(this.ended.sum("duckbatch_phase_seconds_count", s -> s.label("phase").equals("write")))
            .isBetween(TASKS * 1.0, COMPANIES / 500.0);
        // The tasks, and checkScoringInputs, prepareScoringTarget, planScoring, scoreCompanies, recordScoredInputs.
        assertThat(this.ended.sum("spring_batch_step_seconds_count",
                s -> "COMPLETED".equals(s.label("spring_batch_step_status")))).isEqualTo(TASKS + 5);
        // Per-item observations are opt-in (duckbatch.observe-items).
        assertThat(this.ended.has("spring_batch_item_read_seconds_count")).isFalse();
        assertThat(this.ended.has("spring_batch_item_process_seconds_count")).isFalse();
    }

    /** Prometheus drops a meter registered with other tag keys than the first of its name. */
    @Test
    void everyMeterNameHasOneSetOfTagKeys() throws IOException {
        assertThat(this.ended.labelKeySets()).allSatisfy((name, keySets) -> assertThat(keySets).as(name).hasSize(1));
        assertThat(Files.readString(this.dir.resolve("duckbatch.log"))).doesNotContain("registration has failed");
    }

    @Test
    void onlyHealthInfoMetricsAndPrometheusAreServedOnLoopback() {
        assertThat(this.midRunStatus).containsEntry("health", 200)
            .containsEntry("info", 200)
            .containsEntry("metrics", 200)
            .containsEntry("prometheus", 200)
            .containsEntry("env", 404)
            .containsEntry("beans", 404)
            .containsEntry("heapdump", 404)
            .containsEntry("shutdown", 404)
            .containsEntry("loggers", 404)
            .containsEntry("threaddump", 404)
            .containsEntry("configprops", 404);
        assertThat(this.midRunHealth).startsWith("{").contains("\"status\":\"UP\"").doesNotContain("OUT_OF_SERVICE");
        this.reachableOnANonLoopbackAddress.ifPresentOrElse(
                reachable -> assertThat(reachable).as("reachable on a non-loopback address").isFalse(),
                () -> System.out.println("WARNING: this host has no non-loopback IPv4 address; binding not checked"));
    }

    /** Every metric and label the Grafana dashboard queries is one the job exposes. */
    @Test
    void theGrafanaDashboardQueriesMetricsTheJobExposes() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("config/grafana/duckbatch-dashboard.json").toFile());
        assertThat(dashboard.path("__inputs").get(0).path("name").asString()).isEqualTo("DS_PROMETHEUS");
        assertThat(dashboard.path("templating").path("list").findValuesAsString("name")).contains("job");
        List<String> expressions = new ArrayList<>(dashboard.findValuesAsString("expr"));
        expressions.addAll(dashboard.path("templating").findValuesAsString("query"));
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(6);
        Map<String, Set<Set<String>>> exposed = this.ended.labelKeySets();
        Pattern selector = Pattern.compile("\\b((?:duckbatch|spring_batch|jvm)_[a-z0-9_]+)(\\{([^}]*)\\})?");
        Pattern label = Pattern.compile("([a-z_]+)\\s*(?:=~|!=|!~|=)");
        for (String expression : expressions) {
            // Grouping clauses name labels, not metrics.
            Matcher metric = selector.matcher(expression.replaceAll("\\b(by|without)\\s*\\([^)]*\\)", ""));
            assertThat(metric.find()).as("a metric in %s", expression).isTrue();
            do {
                String name = metric.group(1);
                assertThat(exposed).as("metric %s in %s", name, expression).containsKey(name);
                if (metric.group(3) != null) {
                    Matcher key = label.matcher(metric.group(3));
                    while (key.find()) {
                        assertThat(exposed.get(name).iterator().next()).as("label of %s in %s", name, expression)
                            .contains(key.group(1));
                    }
                }
            }
            while (metric.find());
        }
    }

    @Test
    void aBusyPortIsNamedAndVerbsThatRunNoJobNeedNone(CapturedOutput output, @TempDir Path other) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String[] base = { "--duckbatch.data-dir=" + other, "--management.server.port=" + busy.getLocalPort() };
            assertThat(DuckbatchApplication.run(concat(base, "jobs"))).isZero();
            assertThat(DuckbatchApplication.run(concat(base, "executions"))).isZero();
            assertThat(DuckbatchApplication.run(concat(base, "run", "companyScoring"))).isEqualTo(1);
        }
        assertThat(output.getErr()).contains("ERROR: duckbatch could not start: management.server.port")
            .contains("is already in use (another duckbatch job on this host?); run with --management.server.port=<a free port>");
        assertThat(output.toString()).doesNotContain("APPLICATION FAILED TO START");
        assertThat(other.resolve("target.duckdb")).doesNotExist();
    }

    @Test
    void itemObservationsAreOptIn(@TempDir Path other) throws Exception {
        int itemPort = freePort();
        JobThread job = JobThread.start("--duckbatch.data-dir=" + other, "--duckbatch.demo.rows=500",
                "--duckbatch.observe-items=true", "--management.server.port=" + itemPort);
        PrometheusText scrape;
        try {
            while (!job.keepsMetricsAlive()) {
                Thread.sleep(20);
            }
            scrape = get(itemPort, "/actuator/prometheus").map(r -> PrometheusText.parse(r.body())).orElse(null);
        }
        finally {
            assertThat(job.end()).isZero();
        }
        assertThat(scrape).as("a scrape of the ended job with item observations").isNotNull();
        assertThat(scrape.sum("spring_batch_job_seconds_count", s -> true)).isEqualTo(1);
        // One pass in batches of companies: each batch is an item, read and processed once.
        assertThat(scrape.sum("spring_batch_item_process_seconds_count", s -> true)).isBetween(1.0, 500.0);
        assertThat(scrape.sum("spring_batch_item_read_seconds_count", s -> true))
            .isGreaterThan(scrape.sum("spring_batch_item_process_seconds_count", s -> true));
        assertThat(scrape.labelKeySets()).allSatisfy((name, keySets) -> assertThat(keySets).as(name).hasSize(1));
    }

    private static String[] concat(String[] first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

}
