package io.duckbatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.ExpectedScores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A full disk under the target, without root or timing: the target's write-ahead log is a
 * link to /dev/full, which refuses every byte with "No space left on device". The console
 * says so in one line naming the target; once there is room, the same command completes.
 */
@ExtendWith(OutputCaptureExtension.class)
class DiskFullTest {

    @TempDir
    Path dir;

    private int run() {
        return DuckbatchApplication.run("--duckbatch.data-dir=" + this.dir, "--duckbatch.demo.rows=5000");
    }

    @Test
    void aFullDiskIsOneLineNamingTheTargetAndTheSameCommandResumes(CapturedOutput output) throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "no /dev/full here");
        Path target = this.dir.resolve("target.duckdb");
        Path log = Files.createSymbolicLink(this.dir.resolve("target.duckdb.wal"), full);

        assertThat(run()).isEqualTo(1);
        assertThat(output.getErr().lines().filter(line -> line.startsWith("ERROR")))
            .containsExactly("ERROR: companyScoring execution 1 FAILED: no space left on device writing " + target
                    + ": free space on that disk (or set duckbatch.target elsewhere) and run the same command to resume");
        assertThat(output.getAll()).doesNotContain("invalidated").doesNotContain("Chunk write failed");

        Files.delete(log);
        assertThat(run()).isZero();
        assertThat(output.getOut()).contains("Resuming companyScoring execution 1 (FAILED, run 1)");
        assertThat(DuckDbFiles.rows(target, ExpectedScores.ACTUAL_SQL))
            .isEqualTo(ExpectedScores.compute(this.dir.resolve("source.duckdb"), 0.5));
    }

}
