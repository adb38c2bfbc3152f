package io.duckbatch.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.duckbatch.config.SettingNames;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;

/**
 * What a person sees on the terminal when something goes wrong: one line per problem, with
 * the full stack trace kept in the log file.
 */
public final class Console {

    /** What is said of a failure that has no message at all (its stack trace is in the log). */
    static final String NO_MESSAGE = "an unexpected error without a message; its stack trace is in duckbatch.log";

    /** A fully qualified exception class name and the ": " after it, as Throwable.toString() writes them. */
    private static final Pattern CLASS_NAME = Pattern
        .compile("\\b(?:[a-z_$][\\w$]*\\.)+([A-Z][\\w$]*(?:Exception|Error))(?:: ?|\\b)");

    /** strerror(ENOSPC), in DuckDB's messages and Java's alike. */
    private static final String NO_SPACE = "No space left on device";

    /** DuckDB's "Could not write file "/x/target.duckdb.wal": No space left on device". */
    private static final Pattern DUCKDB_WRITING = Pattern.compile("Could not write file \"([^\"]+)\"");

    /** File-system exceptions whose message is only the path, by simple name: what went wrong with it. */
    private static final Map<String, String> FILE_PROBLEMS = Map.of("NoSuchFileException", "no such file or folder",
            "AccessDeniedException", "permission denied", "FileAlreadyExistsException", "already exists",
            "DirectoryNotEmptyException", "folder not empty", "NotDirectoryException", "not a folder",
            "NotLinkException", "not a symbolic link", "FileSystemLoopException", "symbolic links in a loop");

    private Console() {
    }

    public static void error(String line) {
        System.err.println("ERROR: " + line);
        System.err.flush();
    }

    /**
     * One line for a job failure: its outermost message (components wrap failures with what
     * they were doing and where), plus the root cause's first line when that adds something.
     * Java exception class names are left out: a cause that is only a path (a missing file,
     * a denied permission) is said in words.
     */
    public static String describe(Throwable failure) {
        Throwable root = innermost(failure);
        String outer = firstLine(failure);
        String inner = firstLine(root);
        if (outer == null) {
            return (inner != null) ? inner : NO_MESSAGE;
        }
        String raw = rawFirstLine(root);
        if (root != failure && inner != null && raw != null && !raw.equals(inner) && outer.endsWith(": " + raw)) {
            // "Cannot read X: " + cause.getMessage(), where that message is only a path.
            return outer.substring(0, outer.length() - raw.length()) + inner;
        }
        return (root == failure || inner == null || outer.contains(inner)) ? outer : outer + " (cause: " + inner + ")";
    }

    /**
     * {@link #describe(Throwable)}, except that a full disk is said as such, naming the
     * file being written and the setting that puts it there: DuckDB's "No space left on
     * device" can be the second line of a later failure's message ("database has been
     * invalidated ... Original error: ..."), which the first line alone would hide.
     *
     * @param writtenFiles the files and folders duckbatch writes, each with the setting that
     * names it, the most specific first (e.g. the target, then the data folder)
     */
    public static String describe(Throwable failure, Map<Path, String> writtenFiles) {
        for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            String message = cause.getMessage();
            if (message != null && message.contains(NO_SPACE)) {
                Matcher writing = DUCKDB_WRITING.matcher(message);
                String file = writing.find() ? writing.group(1)
                        : (cause instanceof FileSystemException fileSystem) ? fileSystem.getFile() : null;
                return noSpace(file, writtenFiles);
            }
        }
        return describe(failure);
    }

    private static String noSpace(String file, Map<Path, String> writtenFiles) {
        Path written = (file != null) ? Path.of(file).toAbsolutePath().normalize() : null;
        for (Map.Entry<Path, String> known : writtenFiles.entrySet()) {
            Path path = known.getKey().toAbsolutePath().normalize();
            if (written == null) {
                // Java's "No space left on device" names no file: the disk is the first written file's, likely.
                return "no space left on device: free space on the disk of " + path + " (or set " + known.getValue()
                        + " elsewhere) and run the same command to resume";
            }
            // The file itself, its companions (DuckDB's .wal file, .tmp folder) or what its link points to.
            if (written.equals(path) || written.toString().startsWith(path + ".") || written.equals(realPath(path))) {
                return noSpace(path, known.getValue());
            }
            if (written.startsWith(path)) {
                return noSpace(written, known.getValue());
            }
        }
        return noSpace(written, null);
    }

    private static String noSpace(Path file, String setting) {
        return "no space left on device writing " + file + ": free space on that disk"
                + ((setting != null) ? " (or set " + setting + " elsewhere)" : "") + " and run the same command to resume";
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
    }

    /**
     * One throwable's message in a person's words: a file-system failure whose message is
     * only the path gets what went wrong ({@code /x: no such file or folder}), and class
     * names that wrappers copied in ({@code java.lang.IllegalStateException: }) are dropped.
     * Null when there is no message.
     */
    public static String plain(Throwable failure) {
        if (failure instanceof FileSystemException fileSystem && fileSystem.getReason() == null
                && fileSystem.getFile() != null && FILE_PROBLEMS.containsKey(failure.getClass().getSimpleName())) {
            return fileSystem.getFile() + ((fileSystem.getOtherFile() != null) ? " -> " + fileSystem.getOtherFile() : "")
                    + ": " + FILE_PROBLEMS.get(failure.getClass().getSimpleName());
        }
        String message = failure.getMessage();
        if (message == null) {
            return null;
        }
        String plain = withoutClassNames(message).strip();
        return plain.isEmpty() ? null : plain;
    }

    /** Drops "some.package.SomeException: " wherever a wrapper copied one in; a path-only file problem gets its words. */
    private static String withoutClassNames(String message) {
        Matcher name = CLASS_NAME.matcher(message);
        if (!name.find()) {
            return message;
        }
        String before = message.substring(0, name.start());
        String after = message.substring(name.end());
        String problem = FILE_PROBLEMS.get(name.group(1));
        if (problem != null) {
            // The exception's message was its path: the rest of that line.
            int end = after.indexOf('\n');
            String path = (end < 0) ? after : after.substring(0, end);
            String rest = (end < 0) ? "" : after.substring(end);
            return before + (path.isBlank() ? problem : path.strip() + ": " + problem) + withoutClassNames(rest);
        }
        return before + withoutClassNames(after);
    }

    /**
     * One line for a failed application start: the innermost cause, since Spring's
     * bean-creation wrappers around it only list the beans that depended on it.
     */
    public static String describeStartFailure(Throwable failure) {
        UnboundConfigurationPropertiesException unknown = find(failure, UnboundConfigurationPropertiesException.class);
        if (unknown != null) {
            return unknown.getUnboundProperties().stream().map(property -> {
                String name = property.getName().toString();
                String origin = String.valueOf(property.getOrigin());
                return "unknown setting " + name + (origin.contains("commandLineArgs") ? "" : " (" + origin + ")")
                        + "; did you mean " + SettingNames.closest(name) + "?";
            }).sorted().collect(Collectors.joining("; "));
        }
        String line = firstLine(innermost(failure));
        BindException binding = find(failure, BindException.class);
        if (binding != null && (line == null || !line.contains(binding.getName().toString()))) {
            // A value Spring could not convert: its own words name neither the setting nor what fits.
            return invalidSetting(binding);
        }
        return (line != null) ? line : NO_MESSAGE;
    }

    private static String invalidSetting(BindException binding) {
        Object value = (binding.getProperty() != null) ? binding.getProperty().getValue() : null;
        Class<?> type = binding.getTarget().getType().resolve(Object.class);
        String expected;
        if (type.isEnum()) {
            expected = "one of " + Arrays.stream(type.getEnumConstants())
                .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        }
        else if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            expected = "a whole number";
        }
        else if (type == double.class || type == Double.class) {
            expected = "a number";
        }
        else if (type == Duration.class) {
            expected = "a duration such as 10s or 500ms";
        }
        else if (type == boolean.class || type == Boolean.class) {
            expected = "true or false";
        }
        else if (type == LocalDate.class) {
            expected = "a date such as 1990-01-01";
        }
        else if (type == Path.class) {
            expected = "a file path";
        }
        else {
            // Words, not a Java type: LocalTime is "a local time".
            expected = "a " + type.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        }
        return binding.getName() + ": '" + value + "' is not valid; expected " + expected;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private static Throwable innermost(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String firstLine(Throwable t) {
        return firstLineOf(plain(t));
    }

    private static String rawFirstLine(Throwable t) {
        return firstLineOf(t.getMessage());
    }

    private static String firstLineOf(String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        return message.strip().lines().findFirst().orElse("").strip();
    }

}
