package io.duckbatch.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.sun.management.OperatingSystemMXBean;

/**
 * The CPU time and the peak resident memory of this whole process over a window: DuckDB's
 * native threads are counted as well as the JVM's, which thread or heap figures miss. CPU
 * time comes from {@link OperatingSystemMXBean#getProcessCpuTime()} (on Linux in ticks of
 * 10 ms); the peak is Linux's high-water mark {@code VmHWM}, reset when the window opens by
 * writing 5 to {@code /proc/self/clear_refs}. Without that reset the mark would be the
 * process's peak since it started, so then no peak is reported, only why.
 */
final class ProcessUsage {

    static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    static final Path STATUS = Path.of("/proc/self/status");

    /** What {@link #stop()} measured; {@code peakRssBytes} is -1 when {@code peakRssMissing} says why. */
    record Usage(double cpuSeconds, long peakRssBytes, String peakRssMissing) {

        boolean hasPeakRss() {
            return this.peakRssMissing == null;
        }

    }

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final Path status;

    private final String resetRefused;

    private final long cpuStart;

    private ProcessUsage(Path clearRefs, Path status) {
        this.status = status;
        this.resetRefused = resetPeakRss(clearRefs);
        this.cpuStart = cpuNanos();
    }

    /** Opens a window now. */
    static ProcessUsage start() {
        return start(CLEAR_REFS, STATUS);
    }

    /** Opens a window now, with the Linux files given. */
    static ProcessUsage start(Path clearRefs, Path status) {
        return new ProcessUsage(clearRefs, status);
    }

    /** Closes the window. */
    Usage stop() {
        double cpuSeconds = (cpuNanos() - this.cpuStart) / 1e9;
        if (this.resetRefused != null) {
            return new Usage(cpuSeconds, -1, this.resetRefused);
        }
        try {
            return new Usage(cpuSeconds, peakRssBytes(), null);
        }
        catch (IOException | RuntimeException ex) {
            return new Usage(cpuSeconds, -1, "cannot read VmHWM from " + this.status + ": " + ex.getMessage());
        }
    }

    private long cpuNanos() {
        long nanos = this.os.getProcessCpuTime();
        if (nanos < 0) {
            throw new IllegalStateException("bench: this JVM reports no process CPU time"
                    + " (com.sun.management.OperatingSystemMXBean#getProcessCpuTime); run bench on a HotSpot-based JVM");
        }
        return nanos;
    }

    /** Null when the mark now starts again from the current RSS, else why not. */
    private static String resetPeakRss(Path clearRefs) {
        try {
            Files.writeString(clearRefs, "5", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
            return null;
        }
        catch (IOException | UnsupportedOperationException | SecurityException ex) {
            return "writing 5 to " + clearRefs + " to reset the peak was refused (" + ex
                    + "); peak RSS needs Linux and a writable " + clearRefs;
        }
    }

    /** {@code VmHWM:   123456 kB} in the status file. */
    private long peakRssBytes() throws IOException {
        for (String line : Files.readAllLines(this.status, StandardCharsets.ISO_8859_1)) {
            if (line.startsWith("VmHWM:")) {
                String kilobytes = line.substring("VmHWM:".length()).trim();
                if (!kilobytes.endsWith(" kB")) {
                    throw new IllegalStateException("VmHWM is not in kB: '" + line + "'");
                }
                return Long.parseLong(kilobytes.substring(0, kilobytes.length() - 3).trim()) * 1024;
            }
        }
        throw new IllegalStateException("no VmHWM line");
    }

}
