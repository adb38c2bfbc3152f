package io.duckbatch.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;

import io.duckbatch.core.Folders;
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

    @Test
    void aFailureWithoutAMessageIsNotAClassName() {
        Throwable empty = catchThrowable(() -> Collections.emptyIterator().next());
        assertThat(empty.getMessage()).isNull();
        assertThat(Console.describe(empty)).isEqualTo(Console.NO_MESSAGE).doesNotContain("java.");
        assertThat(Console.describeStartFailure(new IllegalStateException(empty))).isEqualTo(Console.NO_MESSAGE);
    }

}
