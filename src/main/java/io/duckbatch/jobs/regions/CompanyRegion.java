package io.duckbatch.jobs.regions;

/** A row of {@code company_regions}. */
public record CompanyRegion(String companyNumber, String postcode, String region) {
}
