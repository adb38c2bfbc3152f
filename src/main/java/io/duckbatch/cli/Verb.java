package io.duckbatch.cli;

/**
 * A verb the command line dispatches to that lives outside this package (e.g.
 * {@code bench}): a bean of this type, found by its {@link #name()}. Its usage line and help
 * stay in {@link DuckbatchCli}, which prints them before Spring starts.
 */
public interface Verb {

    String name();

    /** Runs the verb and returns the process exit code; a {@link Arguments.UsageException} exits with 2. */
    int run(Arguments arguments) throws Exception;

}
