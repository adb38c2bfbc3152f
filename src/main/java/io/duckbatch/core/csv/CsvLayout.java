package io.duckbatch.core.csv;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * The exact shape of a CSV format: its columns in file order, each with the DuckDB type its
 * values are parsed into, and the date format. The header of every input file must name the
 * same columns in the same order once each name is trimmed (some real headers carry leading
 * spaces); a file that does not is refused before anything is read, naming what differs.
 * DuckDB's CSV reader is then given these columns explicitly: no sniffing, so a file that
 * happens to start with odd rows is typed the same way as any other.
 */
public final class CsvLayout {

    /** A column as the header names it, and the DuckDB type its values are parsed into. */
    public record Column(String name, String type) {
    }

    private final String description;

    private final List<Column> columns;

    private final String dateFormat;

    private CsvLayout(String description, List<Column> columns, String dateFormat) {
        this.description = description;
        this.columns = List.copyOf(columns);
        this.dateFormat = dateFormat;
    }

    /**
     * @param description what a file in this layout is, for messages ("a Companies House basic company data file")
     * @param dateFormat DuckDB's {@code strptime} format of DATE columns, e.g. {@code %d/%m/%Y}
     */
    public static CsvLayout of(String description, String dateFormat, List<Column> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("A CSV layout needs at least one column");
        }
        return new CsvLayout(description, columns, dateFormat);
    }

    public String description() {
        return this.description;
    }

    public List<Column> columns() {
        return this.columns;
    }

    public String dateFormat() {
        return this.dateFormat;
    }

    /** The {@code columns} argument of {@code read_csv}: {@code {'name': 'TYPE', ...}}. */
    String readCsvColumns() {
        return this.columns.stream()
            .map(column -> quoteLiteral(column.name()) + ": " + quoteLiteral(column.type()))
            .collect(Collectors.joining(", ", "{", "}"));
    }

    /**
     * Checks the header line of {@code file} (gzip-compressed when its name ends in .gz).
     * @param name the file as the user knows it, for the message
     * @throws CsvFormatException naming the file and what is missing, extra or out of order
     */
    public void requireHeader(String name, Path file) throws IOException {
        String line = firstLine(file);
        if (line == null) {
            throw new CsvFormatException(name + " is empty: expected " + this.description + ", starting with the header line "
                    + this.columns.get(0).name() + "," + this.columns.get(1).name() + ",...");
        }
        List<String> found = headerNames(line);
        List<String> expected = this.columns.stream().map(Column::name).toList();
        if (found.equals(expected)) {
            return;
        }
        List<String> missing = expected.stream().filter(column -> !found.contains(column)).toList();
        List<String> unexpected = found.stream().filter(column -> !expected.contains(column)).toList();
        StringBuilder problem = new StringBuilder(name).append(" is not ").append(this.description).append(": its header");
        if (!missing.isEmpty()) {
            problem.append(" lacks ").append(listed(missing));
        }
        if (!unexpected.isEmpty()) {
            problem.append(missing.isEmpty() ? "" : " and").append(" has unexpected ").append(listed(unexpected));
        }
        if (missing.isEmpty() && unexpected.isEmpty()) {
            problem.append(" has the expected columns in another order or repeated");
        }
        problem.append(" (").append(found.size()).append(" columns found, ").append(expected.size()).append(" expected)");
        throw new CsvFormatException(problem.toString());
    }

    private static String listed(List<String> names) {
        int shown = Math.min(names.size(), 5);
        return String.join(", ", names.subList(0, shown)) + (names.size() > shown ? " and " + (names.size() - shown) + " more" : "");
    }

    /** The header's column names: split at commas outside quotes, unquoted, trimmed; a BOM is ignored. */
    static List<String> headerNames(String line) {
        String header = line.startsWith("\uFEFF") ? line.substring(1) : line;
        List<String> names = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < header.length() && header.charAt(i + 1) == '"') {
                    name.append('"');
                    i++;
                }
                else {
                    quoted = !quoted;
                }
            }
            else if (c == ',' && !quoted) {
                names.add(name.toString().trim());
                name.setLength(0);
            }
            else {
                name.append(c);
            }
        }
        names.add(name.toString().trim());
        return names;
    }

    /** The first line without its line end; null for an empty file. Only the header is read. */
    private static String firstLine(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
                InputStream in = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                        ? new GZIPInputStream(raw) : raw) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            if (b < 0 && line.size() == 0) {
                return null;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
        catch (java.util.zip.ZipException ex) {
            throw new CsvFormatException(file + " is not a gzip file (" + ex.getMessage() + ")");
        }
    }

    static String quoteLiteral(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** Column name to type, in file order. */
    Map<String, String> types() {
        Map<String, String> types = new LinkedHashMap<>();
        this.columns.forEach(column -> types.put(column.name(), column.type()));
        return types;
    }

}
