package io.duckbatch.bench;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcessUsageTest {

    @TempDir
    Path dir;

    /** Native memory touched in the window raises its peak: DuckDB's memory is native too. */
    @Test
    void thePeakCountsNativeMemoryTouchedInTheWindow() {
        assumeTrue(Files.isWritable(ProcessUsage.CLEAR_REFS), "peak RSS needs a writable " + ProcessUsage.CLEAR_REFS);
        ProcessUsage.Usage idle = ProcessUsage.start().stop();
        assertThat(idle.hasPeakRss()).as(idle.peakRssMissing()).isTrue();
        assertThat(idle.peakRssBytes()).isPositive();

        ProcessUsage window = ProcessUsage.start();
        ByteBuffer touched = ByteBuffer.allocateDirect(64 << 20);
        for (int page = 0; page < touched.capacity(); page += 4096) {
            touched.put(page, (byte) 1);
        }
        ProcessUsage.Usage busy = window.stop();
        assertThat(busy.peakRssBytes()).isGreaterThan(idle.peakRssBytes() + (48 << 20));
        assertThat(busy.cpuSeconds()).isNotNegative();
    }

    @Test
    void aRefusedResetIsSaidNotMeasured() {
        Path missing = this.dir.resolve("no-proc/clear_refs");
        ProcessUsage.Usage usage = ProcessUsage.start(missing, ProcessUsage.STATUS).stop();
        assertThat(usage.hasPeakRss()).isFalse();
        assertThat(usage.peakRssBytes()).isEqualTo(-1);
        assertThat(usage.peakRssMissing()).startsWith("writing 5 to " + missing + " to reset the peak was refused")
            .endsWith("peak RSS needs Linux and a writable " + missing);
    }

    @Test
    void aStatusWithoutThePeakIsSaidNotMeasured() throws Exception {
        Path clearRefs = Files.createFile(this.dir.resolve("clear_refs"));
        Path status = Files.writeString(this.dir.resolve("status"), "Name:\tjava\nVmRSS:\t 1000 kB\n");
        ProcessUsage.Usage usage = ProcessUsage.start(clearRefs, status).stop();
        assertThat(usage.hasPeakRss()).isFalse();
        assertThat(usage.peakRssMissing()).isEqualTo("cannot read VmHWM from " + status + ": no VmHWM line");
    }

}
