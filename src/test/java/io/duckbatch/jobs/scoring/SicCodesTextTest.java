package io.duckbatch.jobs.scoring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SicCodesTextTest {

    @TempDir
    Path dir;

    /** Every list comes back from DuckDB's text as it was, NULL codes left out. */
    @Test
    void decodesWhatDuckDbEncodedExactly() throws Exception {
        List<List<String>> lists = List.of(List.of(), List.of(""), List.of("", ""), List.of("62012"), List.of("62012", "63110"),
                List.of("62 012", " "), List.of("a\\b", "\\", "\\s", "x\\ y"), Arrays.asList(null, "1", null), List.of("é ü"));
        Path file = this.dir.resolve("sics.duckdb");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < lists.size(); i++) {
            StringBuilder list = new StringBuilder("[");
            for (String code : lists.get(i)) {
                list.append(list.length() > 1 ? ", " : "").append(code == null ? "NULL" : "'" + code.replace("'", "''") + "'");
            }
            values.add("(" + i + ", " + list.append("]::VARCHAR[]") + ")");
        }
        values.add("(" + lists.size() + ", NULL)");
        DuckDbFiles.execute(file, "CREATE TABLE t (id INTEGER, sic_codes VARCHAR[])", "INSERT INTO t VALUES " + String.join(", ", values));
        List<Object> texts = DuckDbFiles.column(file, "SELECT " + SicCodesText.sql("sic_codes") + " FROM t ORDER BY id");
        for (int i = 0; i < lists.size(); i++) {
            assertThat(SicCodesText.decode((String) texts.get(i))).as(lists.get(i).toString())
                .isEqualTo(lists.get(i).stream().filter(Objects::nonNull).toList());
        }
        assertThat(SicCodesText.decode((String) texts.get(lists.size()))).isNull();
    }

}
