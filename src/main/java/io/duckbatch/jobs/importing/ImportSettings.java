package io.duckbatch.jobs.importing;

import io.duckbatch.core.csv.MaxRejects;

/** Job companyImport's settings, {@code duckbatch.import.*}. */
public class ImportSettings {

    static final String MAX_REJECTS = "duckbatch.import.max-rejects";

    /**
     * Rejected lines an import accepts before it fails and replaces nothing: a count or a
     * percentage of the lines read. 0.1% lets a monthly file with a few damaged lines through
     * (the real file has none) and stops one in the wrong format or encoding.
     */
    private MaxRejects maxRejects = MaxRejects.parse(MAX_REJECTS, "0.1%");

    public MaxRejects getMaxRejects() {
        return this.maxRejects;
    }

    /** Set from text, {@code 1000} or {@code 0.5%}; anything else is refused naming the setting. */
    public void setMaxRejects(String maxRejects) {
        this.maxRejects = MaxRejects.parse(MAX_REJECTS, maxRejects);
    }

}
