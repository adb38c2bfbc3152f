package io.duckbatch.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.jobs.scoring.Company;
import io.duckbatch.jobs.scoring.RticCode;
import io.duckbatch.jobs.scoring.RticCodes;
import io.duckbatch.jobs.scoring.RticScore;
import io.duckbatch.jobs.scoring.RticScorer;

/**
 * The oracle for companyScoring: the same scorer run in one plain loop over every company,
 * without Spring Batch, paging, resume or the Appender. Rows come out in the order
 * {@code ORDER BY rtic_code, company_number} gives.
 */
public final class ExpectedScores {

    /** The columns compared, in the same textual form the target's rows are read in. */
    public static final String ACTUAL_SQL = "SELECT rtic_code, company_number, score, CAST(matched_keywords AS VARCHAR)"
            + " FROM rtic_scores ORDER BY rtic_code, company_number";

    private ExpectedScores() {
    }

    public static List<List<Object>> compute(Path source, double threshold) throws Exception {
        List<RticCode> codes;
        List<Company> companies = new ArrayList<>();
        try (DuckDbDataSource database = DuckDbDataSource.readOnly(source)) {
            codes = RticCodes.all(database);
            try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT company_number, name, sic_codes FROM companies ORDER BY company_number")) {
                while (rs.next()) {
                    companies.add(new Company(rs.getString(1), rs.getString(2), RticCodes.strings(rs.getArray(3))));
                }
            }
        }
        return of(codes, companies, threshold);
    }

    /**
     * The plain loop itself: every code (in the order given) against every company (in the
     * order given), one {@link RticScorer} per code, the rows that pass as {@link #ACTUAL_SQL}
     * reads them; codes and companies sorted give that query's order.
     */
    public static List<List<Object>> of(List<RticCode> codes, List<Company> companies, double threshold) {
        List<List<Object>> rows = new ArrayList<>();
        for (RticCode code : codes) {
            RticScorer scorer = new RticScorer(code, threshold);
            for (Company company : companies) {
                RticScore score = scorer.transform(company);
                if (score != null) {
                    rows.add(List.of(score.rticCode(), score.companyNumber(), score.score(),
                            score.matchedKeywords().toString()));
                }
            }
        }
        return rows;
    }

}
