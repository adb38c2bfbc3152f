package io.duckbatch.bench;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;

/**
 * {@link ProcessUsage} over a job run in an application context of its own: from the context
 * having started to the application being ready, that is around the runners, one of which
 * runs the job. Starting and closing the context are left out, as they are from the job's
 * time.
 */
final class JobRunUsage implements ApplicationListener<SpringApplicationEvent> {

    private ProcessUsage window;

    private ProcessUsage.Usage usage;

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationStartedEvent) {
            this.window = ProcessUsage.start();
        }
        else if (event instanceof ApplicationReadyEvent && this.window != null) {
            this.usage = this.window.stop();
        }
    }

    ProcessUsage.Usage usage() {
        if (this.usage == null) {
            throw new IllegalStateException("bench: the job's application context never became ready,"
                    + " so its CPU time and peak RSS were not measured");
        }
        return this.usage;
    }

}
