package io.duckbatch.core.load;

import java.nio.file.Path;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.keyset.KeysetQuery;
import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadDeciderTest {

    @TempDir
    Path dir;

    private DuckDbDataSource source(long rows) throws Exception {
        Path file = this.dir.resolve("source.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE lookup AS SELECT lpad(CAST(i AS VARCHAR), 8, '0') AS k,"
                + " repeat('x', 30) AS label, i % 7 = 0 AS flagged FROM range(" + rows + ") t(i)");
        return DuckDbDataSource.readOnly(file);
    }

    private static KeysetQuery query(String predicate) {
        return new KeysetQuery("lookup", "k", java.util.List.of("label"), predicate, java.util.List.of());
    }

    @Test
    void loadsOnceOnlyUnderHalfOfTheAvailableMemory() throws Exception {
        try (DuckDbDataSource source = source(10_000)) {
            LoadDecision fits = LoadDecider.builder().dataSource(source).query(query(null)).availableBytes(() -> 1L << 30).build().decide();
            assertThat(fits.loadOnce()).isTrue();
            assertThat(fits.forced()).isFalse();
            assertThat(fits.rows()).isEqualTo(10_000);
            // A row object with two references, its slot in the list, Strings of 8 and 30 ASCII chars:
            // 24 + 4 + (24 + 24) + (24 + 48) = 148 bytes with compressed oops.
            JvmLayout layout = JvmLayout.current();
            long perRow = layout.object(2, 0) + layout.referenceBytes() + string(layout, 8) + string(layout, 30);
            assertThat(fits.estimatedBytes()).isEqualTo(10_000 * perRow);

            long available = 2 * fits.estimatedBytes();
            LoadDecision tooBig = LoadDecider.builder().dataSource(source).query(query(null)).availableBytes(() -> available).build().decide();
            assertThat(tooBig.loadOnce()).as("exactly half is not under half").isFalse();
            assertThat(tooBig.toString()).contains("read in chunks").contains("10,000 rows");
        }
    }

    /** A String and its byte[] of one byte a char. */
    private static long string(JvmLayout layout, int chars) {
        return layout.object(1, 6) + JvmLayout.align(layout.arrayHeader() + chars);
    }

    @Test
    void measuresOnlyTheRowsNeedingWork() throws Exception {
        try (DuckDbDataSource source = source(7_000)) {
            LoadDecision decision = LoadDecider.builder().dataSource(source).query(query("flagged")).build().decide();
            assertThat(decision.rows()).isEqualTo(1_000);
        }
    }

    @Test
    void aModeForcesEitherChoice() throws Exception {
        try (DuckDbDataSource source = source(100)) {
            assertThat(LoadDecider.builder().dataSource(source).query(query(null)).mode(LoadMode.CHUNKED)
                .availableBytes(() -> Long.MAX_VALUE).build().decide()).satisfies(d -> {
                    assertThat(d.loadOnce()).isFalse();
                    assertThat(d.forced()).isTrue();
                });
            assertThat(LoadDecider.builder().dataSource(source).query(query(null)).mode(LoadMode.MEMORY)
                .availableBytes(() -> 0).build().decide().loadOnce()).isTrue();
        }
    }

    @Test
    void builderNamesWhatIsMissing() {
        assertThatThrownBy(() -> LoadDecider.builder().query(query(null)).build()).hasMessageContaining("needs dataSource");
        assertThatThrownBy(() -> LoadDecider.builder().dataSource(DuckDbDataSource.readOnly(this.dir.resolve("x")))
            .build()).hasMessageContaining("needs query");
    }

}
