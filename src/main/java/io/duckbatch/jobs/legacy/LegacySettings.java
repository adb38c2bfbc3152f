package io.duckbatch.jobs.legacy;

import java.time.LocalDate;

/** Job legacyBulkUpdate's settings, {@code duckbatch.legacy.*}. */
public class LegacySettings {

    /** legacyBulkUpdate recomputes the status of companies incorporated before this date. */
    private LocalDate incorporatedBefore = LocalDate.of(1990, 1, 1);

    public LocalDate getIncorporatedBefore() {
        return this.incorporatedBefore;
    }

    public void setIncorporatedBefore(LocalDate incorporatedBefore) {
        this.incorporatedBefore = incorporatedBefore;
    }

}
