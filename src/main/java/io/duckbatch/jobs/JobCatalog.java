package io.duckbatch.jobs;

import java.util.List;
import java.util.Optional;

/**
 * The jobs in this build, in name order: each one's name, what it does, and the configuration
 * class that defines it. The one place these are written down: the job configurations take
 * their names from here, {@code jobs} prints this list without starting Spring, and a
 * command's application context imports the configurations it needs from it. The classes are
 * named rather than imported, so that the jobs can import this package and not the other way
 * round (PackageDependenciesTest); CommandContextTest checks that each defines its job.
 */
public final class JobCatalog {

    public static final String COMPANY_COPY = "companyCopy";

    public static final String COMPANY_IMPORT = "companyImport";

    public static final String COMPANY_REGIONS = "companyRegions";

    public static final String COMPANY_SCORING = "companyScoring";

    public static final String LEGACY_BULK_UPDATE = "legacyBulkUpdate";

    public static final String PHONE_FEATURES = "phoneFeatures";

    public static final String STOCK_COMPANY_SCORING = "stockCompanyScoring";

    /**
     * @param name the job's name, {@code Job.getName()}
     * @param description one line for {@code jobs}
     * @param configuration the {@code @Configuration} class whose beans make the job
     * @param writesSource whether the job writes the source database ({@code duckbatch.source})
     *        instead of reading it: then a missing source is created, not generated as the demo
     */
    public record Entry(String name, String description, String configuration, boolean writesSource) {

        public Entry(String name, String description, String configuration) {
            this(name, description, configuration, false);
        }

    }

    public static final List<Entry> JOBS = List.of(
            new Entry(COMPANY_COPY, "Copies companies into companies_clean inside DuckDB (ATTACH READ_ONLY + INSERT ... SELECT)",
                    "io.duckbatch.jobs.copy.CompanyCopyJobConfiguration"),
            new Entry(COMPANY_IMPORT, "Imports the Companies House bulk file (input=<.zip, .csv, .csv.gz or glob>) into the"
                    + " source's companies table; bad lines go to companies_rejects",
                    "io.duckbatch.jobs.importing.CompanyImportJobConfiguration", true),
            new Entry(COMPANY_REGIONS, "Adds each company's region from postcode_regions: loaded once and joined in Java if it"
                    + " fits, else joined in SQL", "io.duckbatch.jobs.regions.CompanyRegionsJobConfiguration"),
            new Entry(COMPANY_SCORING, "Scores every company against every RTIC code in one pass (keyset reader, batch"
                    + " transformer, Appender) into rtic_scores", "io.duckbatch.jobs.scoring.CompanyScoringJobConfiguration"),
            new Entry(LEGACY_BULK_UPDATE, "Recomputes companies_enriched.status in Java, applied with staged UPDATE ... FROM",
                    "io.duckbatch.jobs.legacy.LegacyBulkUpdateJobConfiguration"),
            new Entry(PHONE_FEATURES, "Derives company_phone_features and joins them into companies_enriched (append-only)",
                    "io.duckbatch.jobs.phone.PhoneFeaturesJobConfiguration"),
            new Entry(STOCK_COMPANY_SCORING, "Benchmark baseline: companyScoring with JdbcPagingItemReader and"
                    + " JdbcBatchItemWriter (slow; see bench)", "io.duckbatch.bench.StockScoringJobConfiguration"));

    private JobCatalog() {
    }

    public static Optional<Entry> find(String name) {
        return JOBS.stream().filter(entry -> entry.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return JOBS.stream().map(Entry::name).toList();
    }

    /** What {@code jobs} prints: one line per job, its name and what it does. */
    public static String listing() {
        StringBuilder listing = new StringBuilder();
        JOBS.forEach(entry -> listing.append(String.format("%-18s %s%n", entry.name(), entry.description())));
        return listing.toString();
    }

}
