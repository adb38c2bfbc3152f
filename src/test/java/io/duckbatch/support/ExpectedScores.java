package io.duckbatch.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.duckbatch.jobs.scoring.Company;
import io.duckbatch.jobs.scoring.RticCode;
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
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        List<RticCode> codes = new ArrayList<>();
        List<Company> companies = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + source, readOnly);
                Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery(
                    "SELECT rtic_code, label, keywords, sic_prefixes FROM rtic_codes ORDER BY rtic_code")) {
                while (rs.next()) {
                    codes.add(new RticCode(rs.getString(1), rs.getString(2), strings(rs.getArray(3)), strings(rs.getArray(4))));
                }
            }
            try (ResultSet rs = statement.executeQuery(
                    "SELECT company_number, name, sic_codes FROM companies ORDER BY company_number")) {
                while (rs.next()) {
                    companies.add(new Company(rs.getString(1), rs.getString(2), strings(rs.getArray(3))));
                }
            }
        }
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

    private static List<String> strings(java.sql.Array array) throws Exception {
        if (array == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (Object value : (Object[]) array.getArray()) {
            values.add((String) value);
        }
        return values;
    }

}
