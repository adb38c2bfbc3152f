package io.duckbatch.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.duckbatch.DuckbatchApplication;

/**
 * A duckbatch child JVM frozen with SIGSTOP at the first output line holding a marker, so
 * that a test can kill it (SIGKILL) at a known point of its work without depending on how
 * fast it runs: a shell forked beforehand stops the child as soon as the line is read. The
 * thread that printed the line waits at it ({@link GatedMain}) until {@link #resume()}: the
 * SIGSTOP arrives a few milliseconds after the line, on a busy machine tens, and the child
 * must not go on meanwhile (read its claimed partition again, commit a chunk).
 */
public final class FrozenChild {

    /** Only ends a broken case; a working one never comes near it. */
    private static final Duration DEADLINE = Duration.ofMinutes(5);

    private final Process process;

    private final List<String> lines;

    private boolean gateOpen;

    private FrozenChild(Process process, List<String> lines) {
        this.process = process;
        this.lines = lines;
    }

    /** {@code java -cp <this classpath> DuckbatchApplication args...} */
    public static List<String> duckbatch(List<String> args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                DuckbatchApplication.class.getName()));
        command.addAll(args);
        return command;
    }

    /** Starts {@code command} and returns once it is stopped at its first line containing {@code marker}. */
    public static FrozenChild startAndFreezeAt(List<String> command, String marker) throws Exception {
        return startAndFreezeAt(command, marker, 1);
    }

    /** Starts {@code command} and returns once it is stopped at its {@code occurrence}-th line containing {@code marker}. */
    public static FrozenChild startAndFreezeAt(List<String> command, String marker, int occurrence) throws Exception {
        Process process = new ProcessBuilder(gated(command, marker, occurrence)).redirectErrorStream(true).start();
        Process stopper = new ProcessBuilder("bash", "-c", "read -r _ && kill -STOP " + process.pid()).start();
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> frozen = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            int seen = 0;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                    if (!frozen.isDone() && line.contains(marker) && ++seen == occurrence) {
                        try (OutputStream go = stopper.getOutputStream()) {
                            go.write('\n');
                        }
                        stopper.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                        frozen.complete(null);
                    }
                }
            }
            catch (Exception ex) {
                frozen.completeExceptionally(ex);
            }
            frozen.completeExceptionally(new IllegalStateException("the child ended before a line with '" + marker + "'"));
        });
        pump.setDaemon(true);
        pump.start();
        try {
            frozen.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            process.destroyForcibly();
            throw new AssertionError("no line " + occurrence + " with '" + marker + "'; output: " + lines, ex);
        }
        return new FrozenChild(process, lines);
    }

    /** {@code command} ({@link #duckbatch}) with {@link GatedMain} stopping the thread that prints the marker's line. */
    private static List<String> gated(List<String> command, String marker, int occurrence) {
        int main = command.indexOf(DuckbatchApplication.class.getName());
        if (main < 0) {
            throw new IllegalArgumentException("not a FrozenChild.duckbatch command: " + command);
        }
        List<String> gated = new ArrayList<>(command.subList(0, main));
        gated.add("-D" + GatedMain.MARKER + "=" + marker);
        gated.add("-D" + GatedMain.OCCURRENCE + "=" + occurrence);
        gated.add(GatedMain.class.getName());
        gated.addAll(command.subList(main + 1, command.size()));
        return gated;
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws Exception {
        Process killer = new ProcessBuilder("kill", "-KILL", Long.toString(this.process.pid())).start();
        killer.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        if (!this.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child survived SIGKILL");
        }
    }

    /** Opens the gate at the marker's line, then SIGCONT: lets the frozen child go on. */
    public void resume() throws Exception {
        openGate();
        new ProcessBuilder("kill", "-CONT", Long.toString(this.process.pid())).start().waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /** SIGTERM (then SIGCONT, so that a child still frozen gets it), and waits until the process is gone; returns its exit code. */
    public int terminate() throws Exception {
        this.process.destroy();
        resume();
        if (!this.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child survived SIGTERM");
        }
        return this.process.exitValue();
    }

    /** The byte the thread waiting at the marker's line reads; nothing once the child has gone (its input closed). */
    private synchronized void openGate() {
        if (this.gateOpen) {
            return;
        }
        this.gateOpen = true;
        try (OutputStream in = this.process.getOutputStream()) {
            in.write('\n');
        }
        catch (IOException gone) {
            // The child ended (killed): nothing waits at the gate.
        }
    }

    public long pid() {
        return this.process.pid();
    }

    /** Waits until the child (let go with {@link #resume()}) prints a line containing {@code marker}; returns the line. */
    public String awaitLine(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        synchronized (this.lines) {
            while (true) {
                for (String line : this.lines) {
                    if (line.contains(marker)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no line with '" + marker + "'; output: " + String.join("\n", this.lines));
                }
                this.lines.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** What it printed up to now. */
    public String output() {
        synchronized (this.lines) {
            return String.join("\n", this.lines);
        }
    }

}
