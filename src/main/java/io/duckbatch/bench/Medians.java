package io.duckbatch.bench;

import java.util.List;

/** The benches compare medians of alternating rounds: one slow round on a shared machine moves nothing. */
final class Medians {

    private Medians() {
    }

    static double of(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

}
