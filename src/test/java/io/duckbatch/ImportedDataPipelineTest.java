package io.duckbatch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.jobs.scoring.Company;
import io.duckbatch.jobs.scoring.RticCode;
import io.duckbatch.jobs.scoring.RticCodes;
import io.duckbatch.support.DuckDbFiles;
import io.duckbatch.support.ExpectedScores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-data path end to end, as the README walks it: the Companies House bulk file
 * imported, scored with a codes file (chunk and udf mode, against the plain-loop oracle),
 * then companyCopy, phoneFeatures and legacyBulkUpdate on the imported companies, unchanged.
 */
@ExtendWith(OutputCaptureExtension.class)
class ImportedDataPipelineTest {

    private static final int COMPANIES = 20_000;

    @TempDir
    Path dir;

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of("--duckbatch.data-dir=" + this.dir, "--management.server.port=-1"));
        all.addAll(List.of(args));
        return DuckbatchApplication.run(all.toArray(String[]::new));
    }

    @Test
    void importScoreCopyAndEnrich() throws Exception {
        DemoDataGenerator demo = new DemoDataGenerator();
        Path bulkFile = this.dir.resolve("BasicCompanyDataAsOneFile-2026-11-01.zip");
        Path codesFile = this.dir.resolve("codes.csv");
        demo.writeCompaniesHouseFile(bulkFile, COMPANIES);
        demo.writeCodesFile(codesFile);
        Path source = this.dir.resolve("source.duckdb");
        Path target = this.dir.resolve("target.duckdb");

        assertThat(run("run", "companyImport", "input=" + bulkFile)).isZero();
        assertThat(DuckDbFiles.count(source, "SELECT count(*) FROM companies")).isEqualTo(COMPANIES);

        List<List<Object>> expected = ExpectedScores.of(demoCodes(), importedCompanies(source), 0.5);
        assertThat(expected).hasSizeGreaterThan(COMPANIES / 2);
        assertThat(run("run", "companyScoring", "--duckbatch.scoring.codes=" + codesFile)).isZero();
        assertThat(DuckDbFiles.rows(target, ExpectedScores.ACTUAL_SQL)).isEqualTo(expected);
        assertThat(run("run", "companyScoring", "--duckbatch.scoring.codes=" + codesFile, "--duckbatch.scoring.mode=udf"))
            .isZero();
        assertThat(DuckDbFiles.rows(target, ExpectedScores.ACTUAL_SQL)).isEqualTo(expected);

        assertThat(run("run", "companyCopy")).isZero();
        assertThat(run("run", "phoneFeatures")).isZero();
        assertThat(run("run", "legacyBulkUpdate")).isZero();
        assertThat(DuckDbFiles.rows(target, "SELECT count(*), count(address), count(*) FILTER (WHERE len(sic_codes) > 0),"
                + " count(normalized_phone) FROM companies_enriched"))
            .as("every company, with the address and SIC codes of the file, and no phone (the file has none)")
            .containsExactly(List.of((long) COMPANIES, DuckDbFiles.count(source, "SELECT count(address) FROM companies"),
                    DuckDbFiles.count(source, "SELECT count(*) FILTER (WHERE len(sic_codes) > 0) FROM companies"), 0L));
    }

    /** companyRegions needs the user's postcode lookup, which the file lacks: named, then used once loaded. */
    @Test
    void regionsNeedALookupTheFileDoesNotHave(CapturedOutput output) throws Exception {
        Path bulkFile = this.dir.resolve("companies.csv");
        new DemoDataGenerator().writeCompaniesHouseFile(bulkFile, 2_000);
        Path source = this.dir.resolve("source.duckdb");
        assertThat(run("run", "companyImport", "input=" + bulkFile)).isZero();

        assertThat(run("run", "companyRegions")).isEqualTo(1);
        assertThat(output.getErr()).contains("Table 'postcode_regions' not found in " + source
                + "; load a table postcode_regions(postcode, region) into the source first");

        DuckDbFiles.execute(source, "CREATE TABLE postcode_regions AS SELECT DISTINCT upper(trim(address.postcode)) AS postcode,"
                + " 'Region ' || left(upper(trim(address.postcode)), 2) AS region FROM companies WHERE address IS NOT NULL");
        assertThat(run("run", "companyRegions")).isZero();
        assertThat(DuckDbFiles.count(this.dir.resolve("target.duckdb"), "SELECT count(region) FROM company_regions"))
            .isEqualTo(DuckDbFiles.count(source, "SELECT count(address.postcode) FROM companies"));
    }

    /** The demo's codes, which {@code demo rtic-codes} writes to the codes file. */
    private List<RticCode> demoCodes() throws Exception {
        Path demoSource = this.dir.resolve("demo-codes.duckdb");
        new DemoDataGenerator().generate(demoSource, 1);
        try (DuckDbDataSource database = DuckDbDataSource.readOnly(demoSource)) {
            return RticCodes.all(database);
        }
    }

    private static List<Company> importedCompanies(Path source) throws Exception {
        List<Company> companies = new ArrayList<>();
        for (List<Object> row : DuckDbFiles.rows(source, "SELECT company_number, name, sic_codes FROM companies ORDER BY company_number")) {
            String codes = row.get(2).toString();
            List<String> sicCodes = codes.equals("[]") ? List.of() : List.of(codes.substring(1, codes.length() - 1).split(", "));
            companies.add(new Company((String) row.get(0), (String) row.get(1), sicCodes));
        }
        return companies;
    }

}
