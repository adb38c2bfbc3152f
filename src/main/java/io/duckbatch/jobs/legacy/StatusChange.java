package io.duckbatch.jobs.legacy;

/** A new status for one company: a staged update row. */
public record StatusChange(String companyNumber, String status) {
}
