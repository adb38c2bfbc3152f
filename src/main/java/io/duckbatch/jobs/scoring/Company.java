package io.duckbatch.jobs.scoring;

import java.util.List;

/** The columns of a source company that scoring needs. */
public record Company(String companyNumber, String name, List<String> sicCodes) {
}
