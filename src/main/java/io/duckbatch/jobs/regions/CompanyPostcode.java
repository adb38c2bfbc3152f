package io.duckbatch.jobs.regions;

/** A company and its postcode as the source holds it (untrimmed, any case, or NULL). */
public record CompanyPostcode(String companyNumber, String postcode) {
}
