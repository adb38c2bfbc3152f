package io.duckbatch.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.Folders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a person reads of a failure: exceptions thrown by real calls (a missing file, a
 * folder under a regular file, an iterator with nothing left), as they arrive, some wrapped
 * the ways components and libraries wrap them. No Java class name reaches the line.
 */
class ConsoleTest {

    private static final Path DEV_FULL = Path.of("/dev/full");

    @TempDir
    Path dir;

    private Path missing() {
        return this.dir.resolve("missing.csv");
    }

    private Throwable readingTheMissingFile() {
        return catchThrowable(() -> Files.readAllBytes(missing()));
    }

    @Test
    void aMissingFileIsSaidInWords() {
        assertThat(Console.describe(readingTheMissingFile())).isEqualTo(missing() + ": no such file or folder");
    }

    @Test
    void aCauseCopiedIntoItsWrapperLosesItsClassName() {
        // new RuntimeException(cause) takes cause.toString() as its message.
        assertThat(Console.describe(new RuntimeException(readingTheMissingFile())))
            .isEqualTo(missing() + ": no such file or folder");
        // A task that failed on another thread: "java.io.UncheckedIOException: java.nio.file.NoSuchFileException: ...".
        Throwable joined = catchThrowable(() -> CompletableFuture.runAsync(() -> {
            try {
                Files.readAllBytes(missing());
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }).join());
        assertThat(joined.getMessage()).startsWith("java.io.UncheckedIOException: java.nio.file.NoSuchFileException: ");
        assertThat(Console.describe(joined)).isEqualTo(missing() + ": no such file or folder");
        Throwable refused = catchThrowable(() -> CompletableFuture.runAsync(() -> {
            throw new IllegalArgumentException("duckbatch.page-size must be at least 1, was 0");
        }).join());
        assertThat(Console.describe(refused)).isEqualTo("duckbatch.page-size must be at least 1, was 0");
    }

    @Test
    void aWrapperThatEndsWithTheCausesPathGetsTheWordsInstead() {
        // The components' pattern: what they were doing, then ": " + cause.getMessage().
        Throwable cause = readingTheMissingFile();
        Throwable wrapped = new IllegalStateException("Cannot load the lookup " + missing() + ": " + cause.getMessage(), cause);
        assertThat(Console.describe(wrapped)).isEqualTo("Cannot load the lookup " + missing() + ": " + missing()
                + ": no such file or folder");
    }

    @Test
    void aFolderUnderARegularFileNamesTheFile() throws IOException {
        Path blocker = Files.writeString(this.dir.resolve("blocker"), "a file where a folder should be");
        Path folder = blocker.resolve("a/b");
        Throwable java = catchThrowable(() -> Files.createDirectories(folder));
        assertThat(Console.describe(java)).isEqualTo(blocker.resolve("a") + ": Not a directory");
        assertThat(Console.describe(new IllegalStateException("Cannot create " + folder + ": " + java, java)))
            .isEqualTo("Cannot create " + folder + ": " + blocker.resolve("a") + ": Not a directory");
        assertThat(Console.describe(catchThrowable(() -> Folders.create(folder))))
            .isEqualTo(blocker + " is a file, not a folder");
    }

    /** Root may write almost anywhere, but not into a read-only kernel attribute. */
    @Test
    void aDeniedPermissionIsSaidInWords() {
        Path notes = Path.of("/sys/kernel/notes");
        Throwable denied = catchThrowable(() -> {
            try (OutputStream out = Files.newOutputStream(notes)) {
                out.write(0);
            }
        });
        assumeTrue(denied instanceof AccessDeniedException, "writing " + notes + " is not refused as access denied here");
        assertThat(Console.describe(denied)).isEqualTo(notes + ": permission denied");
        assertThat(Console.describe(new RuntimeException(denied))).isEqualTo(notes + ": permission denied");
    }

    /** The files duckbatch writes, as DuckbatchCli names them. */
    private Map<Path, String> writtenFiles() {
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(target(), "duckbatch.target");
        files.put(this.dir, "duckbatch.data-dir");
        return files;
    }

    private Path target() {
        return this.dir.resolve("target.duckdb");
    }

    private static String noSpace(Path file, String setting) {
        return "no space left on device writing " + file + ": free space on that disk (or set " + setting
                + " elsewhere) and run the same command to resume";
    }

    /** /dev/full takes no byte: DuckDB's write-ahead log linked to it fails the commit with ENOSPC. */
    @Test
    void aFullDiskUnderTheTargetsLogNamesTheTarget() throws Exception {
        assumeTrue(Files.exists(DEV_FULL), "no /dev/full here");
        Files.createSymbolicLink(this.dir.resolve("target.duckdb.wal"), DEV_FULL);
        Throwable full;
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(target());
                Connection connection = database.getConnection();
                Statement statement = connection.createStatement()) {
            full = catchThrowable(() -> statement.execute("CREATE TABLE rtic_scores (rtic_code VARCHAR)"));
        }
        assertThat(full).hasMessageContaining("target.duckdb.wal\": No space left on device");
        assertThat(Console.describe(full, writtenFiles())).isEqualTo(noSpace(target(), "duckbatch.target"));
        assertThat(Console.describe(new IllegalStateException("Unable to process chunk", full), writtenFiles()))
            .isEqualTo(noSpace(target(), "duckbatch.target"));
    }

    /** A target that is a link to a full device: DuckDB names the device, the line names the target. */
    @Test
    void aFullDiskUnderTheTargetItselfNamesTheTarget() throws Exception {
        assumeTrue(Files.exists(DEV_FULL), "no /dev/full here");
        Files.createSymbolicLink(target(), DEV_FULL);
        Throwable full;
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(target())) {
            full = catchThrowable(database::getConnection);
        }
        assertThat(full).hasMessageContaining("Could not write file \"" + DEV_FULL + "\": No space left on device");
        assertThat(Console.describe(full, writtenFiles())).isEqualTo(noSpace(target(), "duckbatch.target"));
    }

    /**
     * DuckDB says a checkpoint failed on a full disk once; every later statement says the
     * database was invalidated, with the original error on the message's second line. The
     * text is DuckDB 2.0's from a job whose target was on a full 20 MB tmpfs (a full disk
     * cannot be made here without root).
     */
    @Test
    void anInvalidatedDatabaseSaysTheFullDiskBehindIt() {
        SQLException invalidated = new SQLException("FATAL Error: Failed: database has been invalidated because of a previous"
                + " fatal error. The database must be restarted prior to being used again.\nOriginal error: \"Failed to create"
                + " checkpoint because of error: Could not write file \"" + target() + "\": No space left on device\"");
        Throwable chunk = new IllegalStateException("Unable to process chunk", invalidated);
        assertThat(Console.describe(chunk)).doesNotContain("No space left");
        assertThat(Console.describe(chunk, writtenFiles())).isEqualTo(noSpace(target(), "duckbatch.target"));
    }

    /** Java's own ENOSPC names no file: the line names the disk of the first file duckbatch writes. */
    @Test
    void aFullDiskJavaWroteToNamesTheTargetsDisk() {
        assumeTrue(Files.exists(DEV_FULL), "no /dev/full here");
        Throwable full = catchThrowable(() -> Files.write(DEV_FULL, new byte[] { 1 }));
        assertThat(full).hasMessage("No space left on device");
        assertThat(Console.describe(full, writtenFiles())).isEqualTo("no space left on device: free space on the disk of "
                + target() + " (or set duckbatch.target elsewhere) and run the same command to resume");
        Path repository = this.dir.resolve("jobrepository.mv.db");
        assertThat(Console.describe(new java.nio.file.FileSystemException(repository.toString(), null, "No space left on device"),
                writtenFiles())).isEqualTo(noSpace(repository, "duckbatch.data-dir"));
    }

    @Test
    void aFailureWithoutAMessageIsNotAClassName() {
        Throwable empty = catchThrowable(() -> Collections.emptyIterator().next());
        assertThat(empty.getMessage()).isNull();
        assertThat(Console.describe(empty)).isEqualTo(Console.NO_MESSAGE).doesNotContain("java.");
        assertThat(Console.describeStartFailure(new IllegalStateException(empty))).isEqualTo(Console.NO_MESSAGE);
    }

}
