package io.duckbatch.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.duckbatch.DuckbatchApplication;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator's port when it is taken: the jar's default (8081) gives way to a free port
 * and says so; a port the user chose, wherever they chose it, is refused with one line
 * naming the setting and where it was made. Ports are held by real sockets of this JVM;
 * duckbatch runs in child JVMs, in a folder of their own (their ./config/application.yml)
 * and without the port setting this JVM's in-process runs have (see pom.xml).
 */
@Tag("heavy")
class MetricsPortTest {

    /** management.server.port's default in the jar's application.yml. */
    private static final int DEFAULT_PORT = 8081;

    @TempDir
    Path dir;

    private record Run(int exitCode, String output) {
    }

    private Run duckbatch(Map<String, String> environment, List<String> jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.addAll(List.of(DuckbatchApplication.class.getName(), "--duckbatch.data-dir=" + this.dir.resolve("data"),
                "--duckbatch.demo.rows=500"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(this.dir.toFile()).redirectErrorStream(true);
        builder.environment().remove("MANAGEMENT_SERVER_PORT");
        builder.environment().remove("SERVER_PORT");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void aTakenDefaultPortGivesWayToAFreeOne() throws Exception {
        Run run;
        try (ServerSocket held = holdDefaultPort()) {
            run = duckbatch(Map.of(), List.of());
        }
        assertThat(run.exitCode()).as(run.output()).isZero();
        Matcher printed = Pattern.compile("Metrics: http://127\\.0\\.0\\.1:(\\d+)/actuator/prometheus \\(" + DEFAULT_PORT
                + " was in use\\)").matcher(run.output());
        assertThat(printed.find()).as(run.output()).isTrue();
        assertThat(Integer.parseInt(printed.group(1))).isNotEqualTo(DEFAULT_PORT).isPositive();
        assertThat(run.output()).doesNotContain("is already in use").contains("companyScoring execution 1 COMPLETED");
    }

    /** The default port held by this test; null when something else already holds it, which serves as well. */
    private static ServerSocket holdDefaultPort() throws IOException {
        try {
            return new ServerSocket(DEFAULT_PORT, 1, InetAddress.getLoopbackAddress());
        }
        catch (BindException takenAlready) {
            return null;
        }
    }

    /** A busy port given one way (the command line: ActuatorEndpointTest) is refused, naming the setting and where. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "config/application.yml", "MANAGEMENT_SERVER_PORT", "SERVER_PORT", "-Dmanagement.server.port" })
    void aTakenPortTheUserChoseIsRefused(String way) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(busy.getLocalPort());
            Run run;
            String expected;
            switch (way) {
                case "config/application.yml" -> {
                    Files.createDirectories(this.dir.resolve("config"));
                    Files.writeString(this.dir.resolve(way),
                            "duckbatch:\n  chunk-size: 1000\nmanagement:\n  server:\n    port: " + port + "\n");
                    run = duckbatch(Map.of(), List.of());
                    expected = "management.server.port " + port + " (set in config/application.yml line 5) is already in use"
                            + " (another duckbatch job on this host?); run with --management.server.port=<a free port>, or -1"
                            + " for no HTTP endpoint";
                }
                case "MANAGEMENT_SERVER_PORT" -> {
                    run = duckbatch(Map.of(way, port), List.of());
                    expected = "management.server.port " + port + " (environment variable MANAGEMENT_SERVER_PORT) is already in use";
                }
                case "SERVER_PORT" -> {
                    run = duckbatch(Map.of(way, port), List.of());
                    expected = "server.port " + port + " (environment variable SERVER_PORT) is already in use (another duckbatch"
                            + " job on this host?); run with --server.port=<a free port>, or --management.server.port=-1 for no"
                            + " HTTP endpoint";
                }
                default -> {
                    run = duckbatch(Map.of(), List.of(way + "=" + port));
                    expected = "management.server.port " + port + " (system property -Dmanagement.server.port) is already in use";
                }
            }
            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            assertThat(run.output()).contains("ERROR: duckbatch could not start: " + expected).doesNotContain("was in use)");
        }
        assertThat(this.dir.resolve("data/target.duckdb")).doesNotExist();
    }

}
