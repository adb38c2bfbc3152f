package io.duckbatch.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line as duckbatch reads it: the words that are not Spring Boot options
 * ({@code --name=value}), plus {@code --help} and the counts {@code --limit N},
 * {@code --rows N} and {@code --keyset-rows N}.
 */
public record Arguments(List<String> words, boolean help, Map<String, Long> counts) {

    private static final List<String> COUNTS = List.of("limit", "rows", "keyset-rows", "rounds");

    static Arguments parse(String[] args) {
        List<String> words = new ArrayList<>();
        boolean help = false;
        Map<String, Long> counts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String count = COUNTS.stream().filter(name -> arg.equals("--" + name) || arg.startsWith("--" + name + "="))
                .findFirst()
                .orElse(null);
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            }
            else if (count != null) {
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : (i + 1 < args.length) ? args[++i] : "";
                counts.put(count, positive(count, value));
            }
            else if (!arg.startsWith("--")) {
                words.add(arg);
            }
        }
        return new Arguments(List.copyOf(words), help, Map.copyOf(counts));
    }

    /**
     * The command line, or empty when it does not parse: for the decisions taken before
     * Spring starts; the application then reports the mistake as a usage error.
     */
    static Optional<Arguments> parseable(String[] args) {
        try {
            return Optional.of(parse(args));
        }
        catch (UsageException ex) {
            return Optional.empty();
        }
    }

    private static long positive(String name, String value) {
        try {
            long count = Long.parseLong(value.replace("_", "").replace(",", ""));
            if (count > 0) {
                return count;
            }
        }
        catch (NumberFormatException ex) {
            // reported below
        }
        throw new UsageException("--" + name + " takes a positive whole number, was '" + value + "'");
    }

    /** The value of {@code --name N}, or {@code orElse}. */
    public long count(String name, long orElse) {
        return this.counts.getOrDefault(name, orElse);
    }

    String verb() {
        return this.words.isEmpty() ? null : this.words.get(0);
    }

    /** The words after the verb. */
    public List<String> operands() {
        return this.words.isEmpty() ? List.of() : this.words.subList(1, this.words.size());
    }

    /** The single execution id a verb takes. */
    long executionId() {
        List<String> operands = operands();
        if (operands.size() != 1) {
            throw new UsageException(verb() + " takes one execution id");
        }
        try {
            return Long.parseLong(operands.get(0));
        }
        catch (NumberFormatException ex) {
            throw new UsageException("'" + operands.get(0) + "' is not an execution id (a number; see 'executions')");
        }
    }

    /** A mistake in the command line: exit code 2. */
    public static final class UsageException extends RuntimeException {

        public UsageException(String message) {
            super(message);
        }

    }

}
