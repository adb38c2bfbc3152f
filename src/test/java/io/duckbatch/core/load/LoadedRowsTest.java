package io.duckbatch.core.load;

import java.nio.file.Path;
import java.util.List;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.keyset.KeysetQuery;
import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LoadedRowsTest {

    @TempDir
    Path dir;

    /** The rows needing work, selected by a predicate with bound values, in DuckDB's key order. */
    @Test
    void loadsTheRowsOfAWorkPredicateWithBoundValuesInKeyOrder() throws Exception {
        Path file = this.dir.resolve("source.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE lookup AS SELECT lpad(CAST(i * 7 % 50 AS VARCHAR), 3, '0') AS k,"
                + " 'label ' || i AS label, i % 5 AS grp FROM range(50) t(i)");
        KeysetQuery query = new KeysetQuery("lookup", "k", List.of("label"), "grp = ? AND label <> ?", List.of(3, "label 8"));
        List<Object> expected = DuckDbFiles.column(file,
                "SELECT k || '=' || label FROM lookup WHERE grp = 3 AND label <> 'label 8' ORDER BY k");
        try (DuckDbDataSource source = DuckDbDataSource.readOnly(file)) {
            LoadedRows<String> loaded = LoadedRows.load(source, query, (rs, row) -> rs.getString(1) + "=" + rs.getString(2));

            assertThat(loaded.rows()).containsExactlyElementsOf(expected.stream().map(String.class::cast).toList());
            assertThat(loaded.size()).isEqualTo(9);
        }
    }

}
