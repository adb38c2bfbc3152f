package io.duckbatch.jobs.importing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.duckbatch.core.csv.CsvLayout;
import io.duckbatch.core.csv.CsvLayout.Column;

/**
 * Companies House's "Free Company Data Product" (BasicCompanyDataAsOneFile-YYYY-MM-01.zip, or
 * its parts): 55 quoted columns, several header names with a leading space, dates
 * {@code dd/mm/yyyy}, an empty value for none, SIC codes as {@code NNNNN - description} or
 * {@code None Supplied}, up to ten previous names. {@link #SELECT} turns a row into the
 * {@code companies} table the other jobs read: the key, name, SIC codes and address they use,
 * and every other field typed and grouped.
 */
final class CompaniesHouseFile {

    static final String KEY = "CompanyNumber";

    static final CsvLayout LAYOUT = CsvLayout.of("a Companies House basic company data file", "%d/%m/%Y", columns());

    /**
     * The {@code companies} table: what the demo source has (phone is always empty: the file
     * has none) and the rest of the file. No PRIMARY KEY here: the import adds it once the
     * rows are in.
     */
    static final String COLUMNS = "company_number VARCHAR, name VARCHAR, sic_codes VARCHAR[], phone VARCHAR,"
            + " address STRUCT(care_of VARCHAR, po_box VARCHAR, line1 VARCHAR, line2 VARCHAR, town VARCHAR, county VARCHAR,"
            + " country VARCHAR, postcode VARCHAR),"
            + " incorporated_on DATE, category VARCHAR, status VARCHAR, country_of_origin VARCHAR, dissolved_on DATE,"
            + " accounts STRUCT(ref_day INTEGER, ref_month INTEGER, next_due DATE, last_made_up DATE, category VARCHAR),"
            + " returns STRUCT(next_due DATE, last_made_up DATE),"
            + " mortgages STRUCT(charges INTEGER, outstanding INTEGER, part_satisfied INTEGER, satisfied INTEGER),"
            + " limited_partnership STRUCT(general_partners INTEGER, limited_partners INTEGER),"
            + " uri VARCHAR, previous_names STRUCT(changed_on DATE, name VARCHAR)[],"
            + " confirmation_statement STRUCT(next_due DATE, last_made_up DATE)";

    private static final String ADDRESS = "{'care_of': \"RegAddress.CareOf\", 'po_box': \"RegAddress.POBox\","
            + " 'line1': \"RegAddress.AddressLine1\", 'line2': \"RegAddress.AddressLine2\", 'town': \"RegAddress.PostTown\","
            + " 'county': \"RegAddress.County\", 'country': \"RegAddress.Country\", 'postcode': \"RegAddress.PostCode\"}";

    /** Rows of the file as rows of {@link #COLUMNS}, named as they are. */
    static final String SELECT = "\"CompanyNumber\" AS company_number, \"CompanyName\" AS name,"
            // The five-digit code before " - "; "None Supplied" and empty fields give none.
            + " list_filter([regexp_extract(sic, '^(\\d{5}) - ', 1) FOR sic IN [\"SICCode.SicText_1\", \"SICCode.SicText_2\","
            + " \"SICCode.SicText_3\", \"SICCode.SicText_4\"]], lambda code: code <> '') AS sic_codes,"
            + " CAST(NULL AS VARCHAR) AS phone,"
            + " CASE WHEN coalesce(\"RegAddress.CareOf\", \"RegAddress.POBox\", \"RegAddress.AddressLine1\","
            + " \"RegAddress.AddressLine2\", \"RegAddress.PostTown\", \"RegAddress.County\", \"RegAddress.Country\","
            + " \"RegAddress.PostCode\") IS NULL THEN NULL ELSE " + ADDRESS + " END AS address,"
            + " \"IncorporationDate\" AS incorporated_on, \"CompanyCategory\" AS category, \"CompanyStatus\" AS status,"
            + " \"CountryOfOrigin\" AS country_of_origin, \"DissolutionDate\" AS dissolved_on,"
            + " {'ref_day': \"Accounts.AccountRefDay\", 'ref_month': \"Accounts.AccountRefMonth\","
            + " 'next_due': \"Accounts.NextDueDate\", 'last_made_up': \"Accounts.LastMadeUpDate\","
            + " 'category': \"Accounts.AccountCategory\"} AS accounts,"
            + " {'next_due': \"Returns.NextDueDate\", 'last_made_up': \"Returns.LastMadeUpDate\"} AS returns,"
            + " {'charges': \"Mortgages.NumMortCharges\", 'outstanding': \"Mortgages.NumMortOutstanding\","
            + " 'part_satisfied': \"Mortgages.NumMortPartSatisfied\", 'satisfied': \"Mortgages.NumMortSatisfied\"} AS mortgages,"
            + " {'general_partners': \"LimitedPartnerships.NumGenPartners\","
            + " 'limited_partners': \"LimitedPartnerships.NumLimPartners\"} AS limited_partnership,"
            + " \"URI\" AS uri,"
            // Previous names fill slots 1 to 10; empty slots are dropped.
            + " list_filter([" + IntStream.rangeClosed(1, 10)
                .mapToObj(n -> "{'changed_on': \"PreviousName_" + n + ".CONDATE\", 'name': \"PreviousName_" + n + ".CompanyName\"}")
                .collect(Collectors.joining(", ")) + "], lambda previous: previous.name IS NOT NULL OR previous.changed_on IS NOT NULL) AS previous_names,"
            + " {'next_due': \"ConfStmtNextDueDate\", 'last_made_up': \"ConfStmtLastMadeUpDate\"} AS confirmation_statement";

    private CompaniesHouseFile() {
    }

    private static List<Column> columns() {
        List<Column> columns = new ArrayList<>();
        for (String name : List.of("CompanyName", "CompanyNumber", "RegAddress.CareOf", "RegAddress.POBox",
                "RegAddress.AddressLine1", "RegAddress.AddressLine2", "RegAddress.PostTown", "RegAddress.County",
                "RegAddress.Country", "RegAddress.PostCode", "CompanyCategory", "CompanyStatus", "CountryOfOrigin")) {
            columns.add(new Column(name, "VARCHAR"));
        }
        columns.add(new Column("DissolutionDate", "DATE"));
        columns.add(new Column("IncorporationDate", "DATE"));
        columns.add(new Column("Accounts.AccountRefDay", "INTEGER"));
        columns.add(new Column("Accounts.AccountRefMonth", "INTEGER"));
        columns.add(new Column("Accounts.NextDueDate", "DATE"));
        columns.add(new Column("Accounts.LastMadeUpDate", "DATE"));
        columns.add(new Column("Accounts.AccountCategory", "VARCHAR"));
        columns.add(new Column("Returns.NextDueDate", "DATE"));
        columns.add(new Column("Returns.LastMadeUpDate", "DATE"));
        for (String name : List.of("Mortgages.NumMortCharges", "Mortgages.NumMortOutstanding", "Mortgages.NumMortPartSatisfied",
                "Mortgages.NumMortSatisfied")) {
            columns.add(new Column(name, "INTEGER"));
        }
        for (int n = 1; n <= 4; n++) {
            columns.add(new Column("SICCode.SicText_" + n, "VARCHAR"));
        }
        columns.add(new Column("LimitedPartnerships.NumGenPartners", "INTEGER"));
        columns.add(new Column("LimitedPartnerships.NumLimPartners", "INTEGER"));
        columns.add(new Column("URI", "VARCHAR"));
        for (int n = 1; n <= 10; n++) {
            columns.add(new Column("PreviousName_" + n + ".CONDATE", "DATE"));
            columns.add(new Column("PreviousName_" + n + ".CompanyName", "VARCHAR"));
        }
        columns.add(new Column("ConfStmtNextDueDate", "DATE"));
        columns.add(new Column("ConfStmtLastMadeUpDate", "DATE"));
        return columns;
    }

}
