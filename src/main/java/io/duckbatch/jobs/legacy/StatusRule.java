package io.duckbatch.jobs.legacy;

import io.duckbatch.core.process.BatchTransformer;

/**
 * The status of an old company from what is known of it: no phone and no address means
 * {@code dormant}; a mobile number {@code active-mobile}; anything else {@code active}. The
 * eight possible answers are computed once (rule 7); a row only looks its answer up.
 */
public class StatusRule implements BatchTransformer<LegacyCompany, StatusChange> {

    static final String DORMANT = "dormant";

    static final String ACTIVE_MOBILE = "active-mobile";

    static final String ACTIVE = "active";

    private final String[] statusByFacts = new String[8];

    public StatusRule() {
        for (int facts = 0; facts < this.statusByFacts.length; facts++) {
            boolean hasPhone = (facts & 1) != 0;
            boolean hasAddress = (facts & 2) != 0;
            boolean mobile = (facts & 4) != 0;
            this.statusByFacts[facts] = (!hasPhone && !hasAddress) ? DORMANT : (mobile ? ACTIVE_MOBILE : ACTIVE);
        }
    }

    @Override
    public StatusChange transform(LegacyCompany company) {
        int facts = (company.hasPhone() ? 1 : 0) | (company.hasAddress() ? 2 : 0) | (company.mobile() ? 4 : 0);
        return new StatusChange(company.companyNumber(), this.statusByFacts[facts]);
    }

}
