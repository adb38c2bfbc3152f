package io.duckbatch.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import io.duckbatch.config.SettingNames;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;

/**
 * What a person sees on the terminal when something goes wrong: one line per problem, with
 * the full stack trace kept in the log file.
 */
public final class Console {

    private Console() {
    }

    public static void error(String line) {
        System.err.println("ERROR: " + line);
        System.err.flush();
    }

    /**
     * One line for a job failure: its outermost message (components wrap failures with what
     * they were doing and where), plus the root cause's first line when that adds something.
     */
    public static String describe(Throwable failure) {
        Throwable root = innermost(failure);
        String outer = firstLine(failure);
        String inner = firstLine(root);
        if (outer == null) {
            return (inner != null) ? inner : failure.getClass().getName();
        }
        return (root == failure || inner == null || outer.contains(inner)) ? outer : outer + " (cause: " + inner + ")";
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
        return (line != null) ? line : failure.getClass().getName();
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
        else {
            expected = "a " + type.getSimpleName();
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
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return null;
        }
        return message.strip().lines().findFirst().orElse("").strip();
    }

}
