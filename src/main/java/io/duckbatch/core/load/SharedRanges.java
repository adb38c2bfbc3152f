package io.duckbatch.core.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.duckbatch.core.read.KeysetQuery;

import org.springframework.batch.core.job.JobExecution;

/**
 * The page ranges of a keyset walk that several tasks of one job make over the same rows
 * (e.g. every RTIC task over all companies): a walk from the beginning takes the ranges the
 * job's first such walk found (one sort of every key, once per job, held in
 * {@link JobDatasets}); a walk that resumes finds its own.
 *
 * @param name tasks passing the same name must walk the same rows
 */
public record SharedRanges(JobDatasets datasets, JobExecution job, String name) {

    /** Whether a builder was given all three parts. */
    public boolean isComplete() {
        return this.datasets != null && this.job != null && this.name != null && !this.name.isBlank();
    }

    public List<KeysetQuery.Range> find(KeysetQuery keys, Connection connection, Object after, int size)
            throws SQLException {
        if (after != null) {
            return keys.ranges(connection, after, size);
        }
        return this.datasets.shared(this.job, this.name + " ranges of " + size, () -> keys.ranges(connection, null, size));
    }

}
