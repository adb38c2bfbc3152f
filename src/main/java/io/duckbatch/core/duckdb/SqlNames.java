package io.duckbatch.core.duckdb;

import java.util.regex.Pattern;

/**
 * Checks that table and column names given to components are plain SQL identifiers
 * ({@code name} or {@code schema.name}), since identifiers cannot be bound as parameters.
 * Values are never checked here: components always bind them.
 */
public final class SqlNames {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private SqlNames() {
    }

    /**
     * @param role what the name is, for the message (e.g. "key column")
     * @return the name, when it is plain
     * @throws IllegalArgumentException naming the role and the offending value otherwise
     */
    public static String requirePlain(String role, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(role + " is required");
        }
        if (!PLAIN.matcher(name).matches()) {
            throw new IllegalArgumentException(role + " '" + name
                    + "' is not a plain SQL name (letters, digits and _, optionally schema.name)");
        }
        return name;
    }

    /** A quoted identifier, for names that are not plain ({@code "RegAddress.PostTown"}). */
    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

}
