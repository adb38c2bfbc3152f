package io.duckbatch.jobs;

/**
 * Tables one job writes to the target and a later job reads, with the job that makes each:
 * the jobs share these names, not each other's configurations.
 */
public enum TargetTables {

    /** The companies copied and cleaned (rule 4). */
    COMPANIES_CLEAN("companies_clean", JobCatalog.COMPANY_COPY),

    /** companies_clean joined with the phone features (rule 9). */
    COMPANIES_ENRICHED("companies_enriched", JobCatalog.PHONE_FEATURES);

    private final String table;

    private final String madeBy;

    TargetTables(String table, String madeBy) {
        this.table = table;
        this.madeBy = madeBy;
    }

    public String table() {
        return this.table;
    }

    /** Where a job that needs the table sends the user when it is missing: {@code "run job companyCopy first"}. */
    public String madeBy() {
        return "run job " + this.madeBy + " first";
    }

}
