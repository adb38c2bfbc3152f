package io.duckbatch.core.load;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Holds, for the length of one job execution, the datasets its steps decided to load once
 * (rule 1), which every task of the job would otherwise load alike. The first task to ask
 * loads, the others wait for and reuse its result. Register it as a listener of the job: it
 * lets go of the job's datasets when the job ends.
 */
public class JobDatasets implements JobExecutionListener {

    /** Loads a dataset; may throw, like the query behind it. */
    @FunctionalInterface
    public interface Loader<T> {

        LoadedRows<T> load() throws Exception;

    }

    private final Map<String, Object> datasets = new ConcurrentHashMap<>();

    private final LoadMode mode;

    /** @param mode the choice for every dataset: decide by measured size, or force memory or chunks */
    public JobDatasets(LoadMode mode) {
        this.mode = mode;
    }

    /** The rule-1 choice the settings make for every dataset; a {@link LoadDecider} applies it. */
    public LoadMode mode() {
        return this.mode;
    }

    /**
     * The job's copy of a dataset, loaded on first use if the decider says it fits, or
     * {@code null} when it is to be read in chunks.
     */
    @SuppressWarnings("unchecked")
    public <T> LoadedRows<T> loadOnceIfItFits(JobExecution job, String name, LoadDecider decider, Loader<T> loader) {
        Optional<LoadedRows<T>> loaded = (Optional<LoadedRows<T>>) this.datasets.computeIfAbsent(key(job, name), key -> {
            try {
                return decider.decide().loadOnce() ? Optional.of(loader.load()) : Optional.empty();
            }
            catch (Exception ex) {
                throw new IllegalStateException("Cannot load dataset " + name + ": " + ex.getMessage(), ex);
            }
        });
        return loaded.orElse(null);
    }

    /**
     * The copy of a dataset this job already loaded (e.g. in a {@link LoadOnceDecider}).
     * @throws IllegalStateException when it was not loaded: it did not fit, or was never asked for
     */
    @SuppressWarnings("unchecked")
    public <T> LoadedRows<T> loaded(JobExecution job, String name) {
        Optional<LoadedRows<?>> dataset = (Optional<LoadedRows<?>>) this.datasets.get(key(job, name));
        if (dataset == null || dataset.isEmpty()) {
            throw new IllegalStateException("Dataset " + name + " was not loaded for job execution " + job.getId());
        }
        return (LoadedRows<T>) dataset.get();
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        String prefix = jobExecution.getId() + "/";
        this.datasets.keySet().removeIf(key -> key.startsWith(prefix));
    }

    private static String key(JobExecution job, String name) {
        return job.getId() + "/" + name;
    }

}
