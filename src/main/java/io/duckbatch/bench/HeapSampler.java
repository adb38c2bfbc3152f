package io.duckbatch.bench;

/**
 * The most heap in use while a benchmark mode runs, sampled every 10 ms on a daemon thread
 * (garbage not yet collected included: an upper bound of what the mode needs).
 */
final class HeapSampler {

    private final Thread thread;

    private volatile boolean running = true;

    private volatile long peak;

    HeapSampler() {
        this.thread = new Thread(this::sample, "duckbatch-bench-heap");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void sample() {
        Runtime runtime = Runtime.getRuntime();
        while (this.running) {
            this.peak = Math.max(this.peak, runtime.totalMemory() - runtime.freeMemory());
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    void stop() throws InterruptedException {
        this.running = false;
        this.thread.join();
    }

    long peak() {
        return this.peak;
    }

}
