package io.duckbatch.cli;

import java.util.LinkedHashSet;
import java.util.Set;

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
     * The messages along a cause chain, outermost first, each once: components wrap
     * failures with what they were doing, DuckDB adds what it found.
     */
    public static String describe(Throwable failure) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()
                    && messages.stream().noneMatch(existing -> existing.contains(message.strip()))) {
                messages.add(message.strip());
            }
        }
        String first = messages.isEmpty() ? failure.getClass().getName() : String.join(" <- ", messages);
        return first.replaceAll("\\s*\\R\\s*", " ");
    }

}
