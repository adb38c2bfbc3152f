package io.duckbatch.jobs.legacy;

/** What the status rule needs of a row of {@code companies_enriched}. */
public record LegacyCompany(String companyNumber, boolean hasPhone, boolean hasAddress, boolean mobile) {
}
