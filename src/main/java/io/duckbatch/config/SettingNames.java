package io.duckbatch.config;

import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code duckbatch.*} setting names, read off {@link DuckbatchProperties}' getters (nested
 * groups such as a job's {@code scoring} included), to suggest the closest one to a misspelt setting.
 */
public final class SettingNames {

    private static final List<String> KNOWN = names(DuckbatchProperties.class, "duckbatch.");

    private SettingNames() {
    }

    /** Environment variables of the test suite, not settings. */
    private static final String TEST_VARIABLES = "DUCKBATCH_TEST_";

    /**
     * One message per {@code DUCKBATCH_*} environment variable that sets no known setting,
     * naming the closest one. Spring Boot checks unknown names on the command line and in
     * files, but not in the environment, where {@code DUCKBATCH_CHUNK_SIZE} (for
     * {@code duckbatch.chunk.size}, not {@code chunk-size}) would be ignored without a word.
     */
    public static List<String> unknownEnvironmentVariables(Collection<String> variables) {
        Set<String> known = KNOWN.stream().map(SettingNames::environmentName).collect(Collectors.toSet());
        return variables.stream()
            .filter(variable -> variable.startsWith("DUCKBATCH_") && !variable.startsWith(TEST_VARIABLES))
            .filter(variable -> !known.contains(variable))
            .sorted()
            .map(variable -> "unknown setting " + variable + " (environment variable); did you mean "
                    + environmentName(closest(variable.toLowerCase(Locale.ROOT).replace('_', '.'))) + "?")
            .toList();
    }

    /** How Spring Boot reads a setting from the environment: upper case, '.' as '_', no '-'. */
    static String environmentName(String setting) {
        return setting.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** The known setting closest to {@code name} by edit distance. */
    public static String closest(String name) {
        return KNOWN.stream().min(Comparator.comparingInt(known -> distance(known, name))).orElse("duckbatch.*");
    }

    private static List<String> names(Class<?> type, String prefix) {
        List<String> names = new ArrayList<>();
        try {
            for (PropertyDescriptor property : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
                String name = prefix + kebab(property.getName());
                Class<?> valueType = property.getPropertyType();
                if (isGroup(valueType)) {
                    names.addAll(names(valueType, name + "."));
                }
                else {
                    names.add(name);
                }
            }
        }
        catch (IntrospectionException ex) {
            throw new IllegalStateException("Cannot list the settings of " + type.getName(), ex);
        }
        return List.copyOf(names);
    }

    /** A nested group of settings (e.g. a job's own settings), not a value. */
    private static boolean isGroup(Class<?> type) {
        return type != null && type.getName().startsWith("io.duckbatch.") && !type.isEnum();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

}
