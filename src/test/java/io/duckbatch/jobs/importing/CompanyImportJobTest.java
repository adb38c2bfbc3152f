package io.duckbatch.jobs.importing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.duckbatch.DuckbatchApplication;
import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.duckbatch.jobs.importing.CompaniesHouseLines.line;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * companyImport in-process on files in the exact format of Companies House's bulk file: the
 * table the other jobs read, typed; bad lines and repeated company numbers set aside in
 * companies_rejects; the .zip, .csv.gz and parts-glob forms; and bad inputs refused in one
 * line with the previous table left as it was.
 */
@ExtendWith(OutputCaptureExtension.class)
class CompanyImportJobTest {

    private static final String SOFTWARE = "62012 - Business and domestic software development";

    @TempDir
    Path dir;

    private Path source() {
        return this.dir.resolve("source.duckdb");
    }

    private int run(String input, String... settings) {
        List<String> args = new ArrayList<>(List.of("--duckbatch.data-dir=" + this.dir, "--duckbatch.source=" + source(),
                "--management.server.port=-1", "run", "companyImport", "input=" + input));
        args.addAll(List.of(settings));
        return DuckbatchApplication.run(args.toArray(String[]::new));
    }

    /** Good lines of every shape the real file has. */
    private static List<Object> goodLines() {
        return List.of(
                line("00000003", "\"QUOTED\" & SONS, LIMITED", "RegAddress.AddressLine1", "1, HIGH STREET",
                        "RegAddress.PostTown", "LONDON", "RegAddress.PostCode", "N1 1AA", "RegAddress.Country", "ENGLAND",
                        "CompanyCategory", "Private Limited Company", "CompanyStatus", "Active", "CountryOfOrigin",
                        "United Kingdom", "IncorporationDate", "14/05/2024", "Accounts.AccountRefDay", "31",
                        "Accounts.AccountRefMonth", "12", "Accounts.NextDueDate", "30/09/2026", "Accounts.AccountCategory",
                        "MICRO ENTITY", "Mortgages.NumMortCharges", "2", "Mortgages.NumMortOutstanding", "1",
                        "Mortgages.NumMortPartSatisfied", "0", "Mortgages.NumMortSatisfied", "1", "SICCode.SicText_1",
                        SOFTWARE, "SICCode.SicText_2", "47910 - Retail sale via mail order houses or via Internet",
                        "URI", "http://business.data.gov.uk/id/company/00000003", "PreviousName_1.CONDATE", "02/01/2020",
                        "PreviousName_1.CompanyName", "OLD NAME LTD", "PreviousName_3.CONDATE", "05/06/2010",
                        "PreviousName_3.CompanyName", "OLDER NAME LTD", "ConfStmtNextDueDate", "28/05/2026",
                        "ConfStmtLastMadeUpDate", "14/05/2025"),
                line("SC000001", "CAFÉ\nÜBER ØRESUND LTD", "SICCode.SicText_1", "None Supplied", "IncorporationDate", "01/01/1999",
                        "DissolutionDate", "02/02/2022", "CompanyStatus", "Liquidation"),
                line("00000001", "PLAIN LTD", "SICCode.SicText_1", "01110 - Growing of cereals", "SICCode.SicText_2",
                        "01410 - Raising of dairy cattle", "SICCode.SicText_3", "02100 - Silviculture",
                        "SICCode.SicText_4", "99999 - Dormant Company"));
    }

    /** Bad lines of each kind, after the good ones: lines 5 to 11 of the file (a quoted line break counts as one line). */
    private static List<Object> badLines() {
        String good = line("00000009", "FIRST OF TWO LTD");
        return List.of(
                good.substring(0, good.lastIndexOf(',')),                                     // 54 columns
                good.replace("\"00000009\"", "\"00000004\"") + ",\"EXTRA\"",                      // 56 columns
                line("00000005", "BAD DATE LTD", "IncorporationDate", "31/02/2024"),
                line("00000006", "BAD NUMBER LTD", "Mortgages.NumMortCharges", "two"),
                CompaniesHouseLines.bytes("00000007", (byte) 'A', (byte) 0xff, (byte) 'B'),  // not UTF-8
                good,
                line("00000009", "SECOND OF TWO LTD"),                                         // repeated number
                line("", "NO NUMBER LTD"));
    }

    private static byte[] file(String lineEnd) {
        List<Object> lines = new ArrayList<>(goodLines());
        lines.addAll(badLines());
        return CompaniesHouseLines.file(lineEnd, lines);
    }

    @ParameterizedTest
    @ValueSource(strings = { "\r\n", "\n" })
    void importsTheFileTypedAndSetsBadLinesAside(String lineEnd, CapturedOutput output) throws Exception {
        Path csv = Files.write(this.dir.resolve("BasicCompanyDataAsOneFile-2026-11-01.csv"), file(lineEnd));

        assertThat(run(csv.toString(), "--duckbatch.import.max-rejects=7")).isZero();

        assertThat(DuckDbFiles.column(source(), "SELECT company_number FROM companies ORDER BY company_number"))
            .as("each number once, the first line of a repeated one")
            .containsExactly("00000001", "00000003", "00000009", "SC000001");
        assertThat(DuckDbFiles.rows(source(), "SELECT name, CAST(sic_codes AS VARCHAR), address.line1, address.town,"
                + " address.postcode, address.line2, incorporated_on, category, status, country_of_origin, dissolved_on,"
                + " CAST(accounts AS VARCHAR), CAST(mortgages AS VARCHAR), uri, CAST(previous_names AS VARCHAR),"
                + " CAST(confirmation_statement AS VARCHAR), phone FROM companies WHERE company_number = '00000003'"))
            .containsExactly(Arrays.asList("\"QUOTED\" & SONS, LIMITED", "[62012, 47910]", "1, HIGH STREET", "LONDON", "N1 1AA", null,
                    LocalDate.parse("2024-05-14"), "Private Limited Company", "Active", "United Kingdom", null,
                    "{'ref_day': 31, 'ref_month': 12, 'next_due': 2026-09-30, 'last_made_up': NULL, 'category': MICRO ENTITY}",
                    "{'charges': 2, 'outstanding': 1, 'part_satisfied': 0, 'satisfied': 1}",
                    "http://business.data.gov.uk/id/company/00000003",
                    "[{'changed_on': 2020-01-02, 'name': OLD NAME LTD}, {'changed_on': 2010-06-05, 'name': OLDER NAME LTD}]",
                    "{'next_due': 2026-05-28, 'last_made_up': 2025-05-14}", null));
        assertThat(DuckDbFiles.rows(source(), "SELECT name, CAST(sic_codes AS VARCHAR), address IS NULL, dissolved_on,"
                + " len(previous_names) FROM companies WHERE company_number = 'SC000001'"))
            .containsExactly(List.of("CAFÉ\nÜBER ØRESUND LTD", "[]", true, LocalDate.parse("2022-02-02"), 0L));
        assertThat(DuckDbFiles.column(source(), "SELECT CAST(sic_codes AS VARCHAR) FROM companies WHERE company_number = '00000001'"))
            .containsExactly("[01110, 01410, 02100, 99999]");
        assertThat(DuckDbFiles.column(source(), "SELECT name FROM companies WHERE company_number = '00000009'"))
            .containsExactly("FIRST OF TWO LTD");
        assertThat(DuckDbFiles.column(source(), "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = 'companies'"))
            .contains("PRIMARY KEY");

        List<List<Object>> rejects = DuckDbFiles.rows(source(),
                "SELECT file, line, column_name, reason, raw_line FROM companies_rejects ORDER BY line NULLS LAST, reason");
        assertThat(rejects).hasSize(7);
        assertThat(rejects).allSatisfy(reject -> assertThat(reject.get(0)).isEqualTo(csv.toString()));
        assertThat(rejects.subList(0, 5)).extracting(reject -> reject.get(1)).containsExactly(5L, 6L, 7L, 8L, 9L);
        assertThat(rejects.get(0).get(3).toString()).contains("Expected Number of Columns: 55 Found: 54");
        assertThat(rejects.get(1).get(3).toString()).contains("Expected Number of Columns: 55 Found: 56");
        assertThat(rejects.get(2)).element(2).isEqualTo("IncorporationDate");
        assertThat(rejects.get(2).get(3).toString()).contains("31/02/2024");
        assertThat(rejects.get(2).get(4).toString()).startsWith("\"BAD DATE LTD\",\"00000005\"");
        assertThat(rejects.get(3)).element(2).isEqualTo("Mortgages.NumMortCharges");
        assertThat(rejects.get(4).get(3).toString()).containsIgnoringCase("unicode");
        assertThat(rejects.subList(5, 7)).extracting(reject -> reject.get(3))
            .containsExactly("no CompanyNumber", "repeats CompanyNumber 00000009 of an earlier line, which is kept");
        assertThat(rejects.get(6).get(4)).isEqualTo(line("00000009", "SECOND OF TWO LTD"));
        assertThat(output.getOut()).contains("Imported 4 companies into companies of " + source())
            .contains("7 of 11 lines rejected: see table companies_rejects in " + source());
    }

    @Test
    void readsTheZipTheGzipAndTheParts() throws Exception {
        byte[] content = file("\r\n");
        Path zip = CompaniesHouseLines.zip(this.dir.resolve("BasicCompanyDataAsOneFile-2026-11-01.zip"),
                "BasicCompanyDataAsOneFile-2026-11-01.csv", content);
        assertThat(run(zip.toString(), "--duckbatch.import.max-rejects=100")).isZero();
        List<Object> fromZip = DuckDbFiles.column(source(), "SELECT CAST(companies AS VARCHAR) FROM companies ORDER BY company_number");
        assertThat(fromZip).hasSize(4);
        assertThat(DuckDbFiles.column(source(), "SELECT DISTINCT file FROM companies_rejects"))
            .containsExactly(zip + "!BasicCompanyDataAsOneFile-2026-11-01.csv");
        assertThat(this.dir.resolve("source.duckdb.import")).as("inflated entries removed").doesNotExist();

        Path gz = CompaniesHouseLines.gzip(this.dir.resolve("companies.csv.gz"), content);
        assertThat(run(gz.toString(), "--duckbatch.import.max-rejects=100")).isZero();
        assertThat(DuckDbFiles.column(source(), "SELECT CAST(companies AS VARCHAR) FROM companies ORDER BY company_number"))
            .isEqualTo(fromZip);

        // Seven parts as published; a number repeated in a later part keeps the earlier part's line.
        Path parts = Files.createDirectories(this.dir.resolve("parts"));
        List<String> goodLines = goodLines().stream().map(Object::toString).toList();
        for (int part = 1; part <= 7; part++) {
            List<Object> lines = new ArrayList<>();
            if (part <= goodLines.size()) {
                lines.add(goodLines.get(part - 1));
            }
            lines.add(line("1000000" + part, "PART " + part + " LTD"));
            if (part == 7) {
                lines.add(line("10000001", "LATER PART LTD"));
            }
            CompaniesHouseLines.zip(parts.resolve("BasicCompanyData-2026-11-01-part" + part + "_7.zip"),
                    "BasicCompanyData-2026-11-01-part" + part + "_7.csv", CompaniesHouseLines.file("\r\n", lines));
        }
        assertThat(run(parts.resolve("BasicCompanyData-2026-11-01-part*_7.zip").toString(), "--duckbatch.import.max-rejects=1"))
            .isZero();
        assertThat(DuckDbFiles.count(source(), "SELECT count(*) FROM companies")).isEqualTo(10);
        assertThat(DuckDbFiles.column(source(), "SELECT name FROM companies WHERE company_number = '10000001'"))
            .containsExactly("PART 1 LTD");
        assertThat(DuckDbFiles.column(source(), "SELECT file FROM companies_rejects"))
            .containsExactly(parts.resolve("BasicCompanyData-2026-11-01-part7_7.zip") + "!BasicCompanyData-2026-11-01-part7_7.csv");
    }

    @Test
    void badInputsAreOneLineAndReplaceNothing(CapturedOutput output) throws Exception {
        Path good = Files.write(this.dir.resolve("good.csv"),
                CompaniesHouseLines.file("\r\n", List.of(line("00000001", "KEPT LTD"))));
        assertThat(run(good.toString())).isZero();

        Path otherFormat = Files.writeString(this.dir.resolve("other.csv"), "company_number,name\n\"1\",\"A\"\n");
        Path empty = Files.write(this.dir.resolve("empty.csv"), new byte[0]);
        Path headerOnly = Files.write(this.dir.resolve("header-only.csv"), CompaniesHouseLines.file("\r\n", List.of()));
        Path notCsvZip = CompaniesHouseLines.zip(this.dir.resolve("readme.zip"), "readme.txt",
                "no data".getBytes(StandardCharsets.UTF_8));
        Path renamed = Files.writeString(this.dir.resolve("renamed.csv"),
                CompaniesHouseLines.HEADER.replace("CompanyStatus", "Status") + "\r\n" + line("00000002", "X LTD") + "\r\n");
        Path allBad = Files.write(this.dir.resolve("all-bad.csv"), CompaniesHouseLines.file("\r\n",
                List.of(line("00000002", "NEW LTD"), line("00000003", "BAD LTD", "IncorporationDate", "99/99/2024"))));
        record Case(String input, String message, String... settings) {
        }
        for (Case bad : List.of(
                new Case(otherFormat.toString(), otherFormat + " is not a Companies House basic company data file: its header"
                        + " lacks CompanyName, CompanyNumber, RegAddress.CareOf, RegAddress.POBox, RegAddress.AddressLine1 and 50"
                        + " more and has unexpected company_number, name (2 columns found, 55 expected)"),
                new Case(empty.toString(), empty + " is empty: expected a Companies House basic company data file"),
                new Case(headerOnly.toString(), headerOnly + " has no lines after its header; companies is unchanged"),
                new Case(notCsvZip.toString(), "Input " + notCsvZip + " holds no .csv file (it holds readme.txt)"),
                new Case(this.dir.resolve("missing.zip").toString(), "Input " + this.dir.resolve("missing.zip") + " does not exist"),
                new Case(this.dir.resolve("nothing-*.zip").toString(), "Input " + this.dir.resolve("nothing-*.zip")
                        + " matches no file"),
                new Case(renamed.toString(), renamed + " is not a Companies House basic company data file: its header lacks"
                        + " CompanyStatus and has unexpected Status"),
                new Case(allBad.toString(), "1 of 2 lines rejected, more than duckbatch.import.max-rejects allows (0 lines);"
                        + " companies is unchanged. First: " + allBad + ":3: Error when converting column \"IncorporationDate\"",
                        "--duckbatch.import.max-rejects=0"))) {
            int errorsBefore = output.getErr().length();
            assertThat(run(bad.input(), bad.settings())).as(bad.input()).isEqualTo(1);
            String errors = output.getErr().substring(errorsBefore);
            assertThat(errors).as(bad.input()).contains(bad.message());
            assertThat(errors.lines().filter(errorLine -> errorLine.startsWith("ERROR")).count()).as(errors).isEqualTo(1);
            assertThat(DuckDbFiles.column(source(), "SELECT name FROM companies")).as(bad.input()).containsExactly("KEPT LTD");
            assertThat(DuckDbFiles.count(source(), "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%importing'"))
                .isZero();
        }
    }

}
