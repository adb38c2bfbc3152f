package io.duckbatch.core.timing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes SimplerTimer phases as the Micrometer timer {@code duckbatch.phase}, tagged
 * {@code job.name}, {@code step.name} and {@code phase}. Totals are cumulative per tag set for
 * the life of the process, as Prometheus expects of a counter-like meter.
 */
public class PhaseMeters {

    public static final String METER_NAME = "duckbatch.phase";

    /**
     * Not "job": Prometheus puts its scrape job in the {@code job} label and would rename ours
     * to {@code exported_job}.
     */
    public static final String JOB_TAG = "job.name";

    public static final String STEP_TAG = "step.name";

    public static final String PHASE_TAG = "phase";

    private final MeterRegistry registry;

    // Holds the totals strongly: FunctionTimer only keeps a weak reference to its source.
    private final Map<List<String>, Totals> totals = new ConcurrentHashMap<>();

    public PhaseMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Adds {@code calls} calls taking {@code nanos} in all to the phase's meter. */
    public void add(String job, String step, String phase, long calls, long nanos) {
        Totals phaseTotals = this.totals.computeIfAbsent(List.of(job, step, phase), key -> register(job, step, phase));
        phaseTotals.calls.add(calls);
        phaseTotals.nanos.add(nanos);
    }

    private Totals register(String job, String step, String phase) {
        Totals phaseTotals = new Totals();
        FunctionTimer.builder(METER_NAME, phaseTotals, t -> t.calls.sum(), t -> t.nanos.sum(), TimeUnit.NANOSECONDS)
            .description("Time spent in a named phase of a duckbatch step (SimplerTimer)")
            .tags(JOB_TAG, job, STEP_TAG, step, PHASE_TAG, phase)
            .register(this.registry);
        return phaseTotals;
    }

    private static final class Totals {

        final LongAdder calls = new LongAdder();

        final LongAdder nanos = new LongAdder();

    }

}
