package io.duckbatch.core.timing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rule 12: names the phases of a step and measures them.
 *
 * <pre>
 * try (var t = timer.track("read")) {
 *     ...
 * }
 * </pre>
 *
 * One timer belongs to one step execution and one thread (give it step scope): a phase
 * handle is reused for every call, so tracking allocates nothing per row. Phases must not
 * nest within themselves.
 */
public class SimplerTimer {

    private final Map<String, Phase> phases = new LinkedHashMap<>();

    private final long createdNanos = System.nanoTime();

    /** Starts timing {@code phase}; closing the returned handle stops it. */
    public Phase track(String phase) {
        Phase handle = this.phases.get(phase);
        if (handle == null) {
            handle = new Phase(phase);
            this.phases.put(phase, handle);
        }
        handle.startNanos = System.nanoTime();
        return handle;
    }

    /** The phases seen so far, in first-use order. */
    public List<PhaseStats> snapshot() {
        List<PhaseStats> result = new ArrayList<>(this.phases.size());
        for (Phase phase : this.phases.values()) {
            result.add(new PhaseStats(phase.name, phase.calls, phase.totalNanos));
        }
        return Collections.unmodifiableList(result);
    }

    /** Nanoseconds since this timer was created: the step's wall time when it is step scoped. */
    public long elapsedNanos() {
        return System.nanoTime() - this.createdNanos;
    }

    /** A running phase; close it to add the elapsed time to the phase's total. */
    public static final class Phase implements AutoCloseable {

        private final String name;

        private long startNanos;

        private long calls;

        private long totalNanos;

        private Phase(String name) {
            this.name = name;
        }

        @Override
        public void close() {
            this.totalNanos += System.nanoTime() - this.startNanos;
            this.calls++;
        }

    }

    /** What one phase added up to. */
    public record PhaseStats(String phase, long calls, long totalNanos) {

        public double meanMillis() {
            return (this.calls == 0) ? 0 : this.totalNanos / 1e6 / this.calls;
        }

    }

}
