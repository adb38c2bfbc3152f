package io.duckbatch.core.duckdb;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Folders that files are written into (DuckDB databases, the data folder). */
public final class Folders {

    private Folders() {
    }

    /**
     * Creates {@code folder} and its missing parents. When that fails because a file stands
     * where a folder should be, the exception says which one ({@code /x is a file, not a
     * folder}), where Java would only say "Not a directory" of the folder being created.
     */
    public static void create(Path folder) throws IOException {
        try {
            Files.createDirectories(folder);
        }
        catch (FileSystemException ex) {
            Path existing = folder.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null && !Files.isDirectory(existing)) {
                // Java's own words kept for the log, not as the cause a reader would see next.
                IOException inWords = new IOException(existing + " is a file, not a folder");
                inWords.addSuppressed(ex);
                throw inWords;
            }
            throw ex;
        }
    }

}
