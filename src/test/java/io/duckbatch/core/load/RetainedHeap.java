package io.duckbatch.core.load;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;

/**
 * Measures the heap a value keeps reachable: used heap after full collections, once before
 * it is made and once while it is still held. Other threads of the JVM allocating meanwhile
 * add noise, so measure values of tens of MB and compare with a tolerance.
 */
final class RetainedHeap {

    /** Makes the value whose heap is measured; may throw, like a query. */
    @FunctionalInterface
    interface Maker<T> {

        T make() throws Exception;

    }

    /** What was made and the heap it retains. */
    record Measured<T>(T value, long bytes) {
    }

    /**
     * Collections per reading: one full collection can leave garbage that a cleaner frees
     * during the next; the lowest reading counts (no waiting: {@code System.gc()} returns after
     * a full, stop-the-world collection).
     */
    private static final int COLLECTIONS = 4;

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private RetainedHeap() {
    }

    static <T> Measured<T> of(Maker<T> maker) throws Exception {
        long before = usedAfterCollections();
        T value = maker.make();
        long after = usedAfterCollections();
        Reference.reachabilityFence(value);
        return new Measured<>(value, after - before);
    }

    /** The lowest used heap seen over several full collections. */
    private static long usedAfterCollections() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < COLLECTIONS; i++) {
            System.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

}
