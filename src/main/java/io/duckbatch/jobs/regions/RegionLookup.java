package io.duckbatch.jobs.regions;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import io.duckbatch.core.process.BatchTransformer;

/**
 * Finds a company's region from its postcode in a map built once from the loaded
 * {@code postcode_regions} (rules 1 and 6). Postcodes are normalised as the SQL branch
 * does: trimmed, upper case.
 */
public class RegionLookup implements BatchTransformer<CompanyPostcode, CompanyRegion> {

    private final Map<String, String> regionByPostcode;

    public RegionLookup(Iterable<Map.Entry<String, String>> postcodeRegions, int size) {
        this.regionByPostcode = new HashMap<>((int) (size / 0.75f) + 1);
        for (Map.Entry<String, String> entry : postcodeRegions) {
            this.regionByPostcode.put(entry.getKey(), entry.getValue());
        }
    }

    @Override
    public CompanyRegion transform(CompanyPostcode company) {
        if (company.postcode() == null) {
            return new CompanyRegion(company.companyNumber(), null, null);
        }
        String postcode = company.postcode().strip().toUpperCase(Locale.ROOT);
        return new CompanyRegion(company.companyNumber(), postcode, this.regionByPostcode.get(postcode));
    }

}
