package io.duckbatch.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line as duckbatch reads it: the words that are not Spring Boot options
 * ({@code --name=value}), plus {@code --help} and {@code --limit N}.
 */
record Arguments(List<String> words, boolean help, Integer limit) {

    static Arguments parse(String[] args) {
        List<String> words = new ArrayList<>();
        boolean help = false;
        Integer limit = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            }
            else if (arg.equals("--limit")) {
                limit = (i + 1 < args.length) ? positive(args[++i]) : positive("");
            }
            else if (arg.startsWith("--limit=")) {
                limit = positive(arg.substring("--limit=".length()));
            }
            else if (!arg.startsWith("--")) {
                words.add(arg);
            }
        }
        return new Arguments(List.copyOf(words), help, limit);
    }

    private static int positive(String value) {
        try {
            int limit = Integer.parseInt(value);
            if (limit > 0) {
                return limit;
            }
        }
        catch (NumberFormatException ex) {
            // reported below
        }
        throw new UsageException("--limit takes a positive whole number, was '" + value + "'");
    }

    String verb() {
        return this.words.isEmpty() ? null : this.words.get(0);
    }

    /** The words after the verb. */
    List<String> operands() {
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
    static final class UsageException extends RuntimeException {

        UsageException(String message) {
            super(message);
        }

    }

}
