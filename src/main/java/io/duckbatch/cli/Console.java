package io.duckbatch.cli;

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
        String line = firstLine(innermost(failure));
        return (line != null) ? line : failure.getClass().getName();
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
