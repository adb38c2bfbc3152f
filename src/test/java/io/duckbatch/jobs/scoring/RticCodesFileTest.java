package io.duckbatch.jobs.scoring;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Codes files as people write them, and the one line each mistake gets. */
class RticCodesFileTest {

    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        return Files.write(this.dir.resolve("codes.csv"), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void quotedFieldsEmptyListsBomAndCrlf() throws Exception {
        Path file = write("\uFEFFrtic_code,label,keywords,sic_prefixes\r\n"
                + "R2,\"Bakeries, \"\"fine\"\" cakes\",bakery; cake ;,\r\n"
                + "\r\n"
                + " R1 ,Software,\"software;data\",62;631\r\n"
                + "R3,\"Two\nlines\",,6\r\n"
                + "R0,No prefixes,ai,");
        RticCodesFile codes = RticCodesFile.read(file, "duckbatch.scoring.codes");

        assertThat(codes.path()).isEqualTo(file.toAbsolutePath().normalize());
        assertThat(codes.codes()).containsExactly(new RticCode("R0", "No prefixes", List.of("ai"), List.of()),
                new RticCode("R1", "Software", List.of("software", "data"), List.of("62", "631")),
                new RticCode("R2", "Bakeries, \"fine\" cakes", List.of("bakery", "cake"), List.of()),
                new RticCode("R3", "Two\nlines", List.of(), List.of("6")));
        assertThat(codes.sha256()).hasSize(64).isEqualTo(RticCodesFile.sha256Of(file));
    }

    /** Each mistake: one line naming the file, the line where its record starts, and what to do. */
    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        "R1,A,software,62\\nR2,B,data,63\\nR1,C,cloud,64 | 4 | repeats code 'R1' of line 2: give every code one line",
        "R1,A,software,62\\nR2,B, ; ,\\n | 3 | gives code 'R2' neither keywords nor sic_prefixes, so it could never score",
        "R1,A,software,62;6x2 | 2 | gives code 'R1' the SIC prefix '6x2', which is not digits",
        "R1,\"A\\nB\",software,62\\nR2,B,data,62a | 4 | gives code 'R2' the SIC prefix '62a', which is not digits",
        "R1,A,software | 2 | has 3 field(s), not 4 (rtic_code,label,keywords,sic_prefixes): quote a field holding a comma",
        ",A,software,62 | 2 | has no rtic_code",
        "R1,\"A,software,62 | 2 | opens a quoted field that is never closed" })
    void eachMistakeIsOneLineNamingFileAndLine(String lines, int line, String problem) throws Exception {
        Path file = write("rtic_code,label,keywords,sic_prefixes\n" + lines.replace("\\n", "\n"));
        assertThatThrownBy(() -> RticCodesFile.read(file, "duckbatch.scoring.codes"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("Codes file " + file.toAbsolutePath() + " line " + line + " " + problem)
            .message()
            .doesNotContain("\n");
    }

    @Test
    void aWrongHeaderOrNoCodes() throws Exception {
        Path file = write("code,label,keywords,prefixes\nR1,A,software,62\n");
        assertThatThrownBy(() -> RticCodesFile.read(file, "duckbatch.scoring.codes")).hasMessage("Codes file " + file
                + " line 1 has the header code,label,keywords,prefixes; the first line must be rtic_code,label,keywords,sic_prefixes");
        write("rtic_code,label,keywords,sic_prefixes\r\n");
        assertThatThrownBy(() -> RticCodesFile.read(file, "duckbatch.scoring.codes"))
            .hasMessage("Codes file " + file + " line 1 is the header alone: add a line per code under it");
    }

    @Test
    void aMissingFileNamesTheSetting() {
        Path missing = this.dir.resolve("nowhere/codes.csv");
        assertThatThrownBy(() -> RticCodesFile.read(missing, "duckbatch.scoring.codes")).hasMessage("duckbatch.scoring.codes"
                + " names codes file " + missing + ", which does not exist: create it (header"
                + " rtic_code,label,keywords,sic_prefixes) or correct the path");
        assertThat(RticCodesFile.sha256Of(missing)).isNull();
    }

}
