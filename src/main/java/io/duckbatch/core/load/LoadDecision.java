package io.duckbatch.core.load;

import java.util.Locale;

/**
 * What {@link LoadDecider} chose for a dataset, and the numbers it chose by.
 *
 * @param loadOnce load into memory once, rather than read in chunks (or join in SQL)
 * @param forced chosen by configuration rather than by measurement
 */
public record LoadDecision(String dataset, boolean loadOnce, boolean forced, long rows, long estimatedBytes,
        long availableBytes) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %s (%,d rows, ~%,d MB estimated in memory, %,d MB heap available%s)",
                this.dataset, this.loadOnce ? "load once into memory" : "read in chunks", this.rows,
                this.estimatedBytes >> 20, this.availableBytes >> 20,
                this.forced ? "; forced by duckbatch.load-mode" : "; loads once under half of it");
    }

}
