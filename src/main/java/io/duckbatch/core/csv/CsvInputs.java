package io.duckbatch.core.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.duckbatch.core.duckdb.Folders;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CSV files an import reads, from what the user names: one file or a glob over several
 * ({@code data/BasicCompanyData-2026-11-01-part*_7.zip}), each a {@code .csv}, a
 * {@code .csv.gz} (DuckDB reads gzip itself) or a {@code .zip} holding one or more CSV files.
 * DuckDB has no zip reader built in and no extension can be downloaded here, so a zip's CSV
 * entries are inflated by Java into a work folder, streamed entry by entry, and deleted on
 * {@link #close()}; the rows themselves are still parsed by DuckDB only (docs/decisions.md).
 */
public final class CsvInputs implements AutoCloseable {

    /** A CSV file DuckDB reads, and how to name it to the user ({@code parts.zip!part1.csv}). */
    public record CsvFile(String name, Path path) {
    }

    private static final Logger log = LoggerFactory.getLogger(CsvInputs.class);

    private final List<CsvFile> files;

    private final Path workFolder;

    private CsvInputs(List<CsvFile> files, Path workFolder) {
        this.files = List.copyOf(files);
        this.workFolder = workFolder;
    }

    /**
     * @param input a file or a glob in its file name ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}})
     * @param workFolder where zip entries are inflated; created when needed, removed on close
     * @throws CsvFormatException when nothing matches, a file is missing or a zip holds no CSV
     */
    public static CsvInputs open(String input, Path workFolder) throws IOException {
        if (input == null || input.isBlank()) {
            throw new CsvFormatException("No input file: name one with input=<file, .zip, .csv.gz or glob>");
        }
        List<CsvFile> files = new ArrayList<>();
        deleteFolder(workFolder); // what a killed import left there
        try {
            for (Path file : matches(input)) {
                String fileName = file.getFileName().toString();
                if (fileName.toLowerCase(Locale.ROOT).endsWith(".zip")) {
                    files.addAll(inflate(file, workFolder));
                }
                else {
                    files.add(new CsvFile(file.toString(), file));
                }
            }
            return new CsvInputs(files, workFolder);
        }
        catch (IOException | RuntimeException ex) {
            deleteFolder(workFolder);
            throw ex;
        }
    }

    public List<CsvFile> files() {
        return this.files;
    }

    /** Total bytes DuckDB reads (inflated sizes for zip entries, compressed for .gz). */
    public long bytes() throws IOException {
        long bytes = 0;
        for (CsvFile file : this.files) {
            bytes += Files.size(file.path());
        }
        return bytes;
    }

    private static List<Path> matches(String input) throws IOException {
        Path named = Path.of(input).toAbsolutePath().normalize();
        String pattern = named.getFileName().toString();
        if (!pattern.matches(".*[*?\\[{].*")) {
            if (Files.isDirectory(named)) {
                throw new CsvFormatException("Input " + named + " is a folder: name a .zip, .csv or .csv.gz file, or a glob");
            }
            if (!Files.isRegularFile(named)) {
                throw new CsvFormatException("Input " + named + " does not exist");
            }
            return List.of(named);
        }
        Path folder = named.getParent();
        if (!Files.isDirectory(folder)) {
            throw new CsvFormatException("Input " + input + ": folder " + folder + " does not exist");
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (matcher.matches(entry.getFileName()) && Files.isRegularFile(entry)) {
                    found.add(entry);
                }
            }
        }
        if (found.isEmpty()) {
            throw new CsvFormatException("Input " + named + " matches no file");
        }
        found.sort(Comparator.comparing(Path::toString));
        return found;
    }

    /** Inflates the zip's CSV entries, in the zip's order, into the work folder. */
    private static List<CsvFile> inflate(Path zip, Path workFolder) throws IOException {
        List<CsvFile> inflated = new ArrayList<>();
        List<String> others = new ArrayList<>();
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : archive.stream().toList()) {
                String entryName = Path.of(entry.getName()).getFileName().toString();
                if (entry.isDirectory()) {
                    continue;
                }
                if (!entryName.toLowerCase(Locale.ROOT).endsWith(".csv")) {
                    others.add(entry.getName());
                    continue;
                }
                Folders.create(workFolder);
                Path file = workFolder.resolve(inflated.size() + "-" + entryName);
                long start = System.nanoTime();
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
                log.info("Inflated {}!{} ({} MB) in {} ms", zip, entry.getName(), Files.size(file) >> 20,
                        (System.nanoTime() - start) / 1_000_000);
                inflated.add(new CsvFile(zip + "!" + entry.getName(), file));
            }
        }
        catch (java.util.zip.ZipException ex) {
            throw new CsvFormatException("Input " + zip + " is not a readable zip file (" + ex.getMessage() + ")");
        }
        if (inflated.isEmpty()) {
            throw new CsvFormatException("Input " + zip + " holds no .csv file" + (others.isEmpty() ? " (it is empty)"
                    : " (it holds " + String.join(", ", others.subList(0, Math.min(5, others.size()))) + ")"));
        }
        return inflated;
    }

    /** Deletes the inflated zip entries and the work folder. */
    @Override
    public void close() throws IOException {
        deleteFolder(this.workFolder);
    }

    private static void deleteFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(folder);
    }

}
