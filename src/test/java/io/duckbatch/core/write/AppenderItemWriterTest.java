package io.duckbatch.core.write;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.timing.SimplerTimer;
import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppenderItemWriterTest {

    record Row(String key, double score, List<String> tags) {
    }

    @TempDir
    Path dir;

    private Path target() throws SQLException {
        Path file = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE scores (key VARCHAR, score DOUBLE, tags VARCHAR[])");
        return file;
    }

    private static AppenderItemWriter<Row> writer(DuckDbDataSource target, SimplerTimer timer) {
        return AppenderItemWriter.<Row>builder()
            .dataSource(target)
            .table("scores")
            .binder((row, appender) -> {
                if (row.key() == null) {
                    throw new SQLException("cannot bind a row without key");
                }
                appender.append(row.key()).append(row.score()).append(row.tags());
            })
            .timer(timer)
            .build();
    }

    @Test
    void appendsChunksIncludingListColumns() throws Exception {
        Path file = target();
        SimplerTimer timer = new SimplerTimer();
        try (DuckDbDataSource target = DuckDbDataSource.readWrite(file)) {
            AppenderItemWriter<Row> writer = writer(target, timer);
            writer.open(new ExecutionContext());
            writer.write(Chunk.of(new Row("a", 0.5, List.of("x", "y")), new Row("b", 1.0, List.of())));
            writer.write(Chunk.of(new Row("c", 0.25, List.of("z"))));
            writer.write(new Chunk<>());
            writer.close();
        }
        assertThat(DuckDbFiles.rows(file, "SELECT key, score, tags FROM scores ORDER BY key")).containsExactly(
                List.of("a", 0.5, "[x, y]"), List.of("b", 1.0, "[]"), List.of("c", 0.25, "[z]"));
        assertThat(timer.snapshot()).singleElement().satisfies(p -> {
            assertThat(p.phase()).isEqualTo("write");
            assertThat(p.calls()).isEqualTo(2);
        });
    }

    @Test
    void aFailingChunkLeavesNothingBehind() throws Exception {
        Path file = target();
        try (DuckDbDataSource target = DuckDbDataSource.readWrite(file)) {
            AppenderItemWriter<Row> writer = writer(target, null);
            writer.open(new ExecutionContext());
            writer.write(Chunk.of(new Row("a", 0.5, List.of())));
            assertThatThrownBy(() -> writer.write(Chunk.of(new Row("b", 1, List.of()), new Row("c", 1, List.of()),
                    new Row(null, 1, List.of()))))
                .hasMessageContaining("cannot bind");
            // The writer stays usable after a rolled-back chunk.
            writer.write(Chunk.of(new Row("d", 0.5, List.of())));
            writer.close();
        }
        assertThat(DuckDbFiles.column(file, "SELECT key FROM scores ORDER BY key")).containsExactly("a", "d");
    }

    @Test
    void missingTableIsNamedAtOpen() throws Exception {
        Path file = this.dir.resolve("empty.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE other (x INTEGER)");
        try (DuckDbDataSource target = DuckDbDataSource.readWrite(file)) {
            assertThatThrownBy(() -> writer(target, null).open(new ExecutionContext()))
                .isInstanceOf(ItemStreamException.class)
                .hasMessageContaining("Table 'scores' not found in " + file);
        }
    }

    @Test
    void aTargetThatCannotBeCreatedIsNamed() throws Exception {
        Path notAFolder = this.dir.resolve("file");
        java.nio.file.Files.writeString(notAFolder, "x");
        try (DuckDbDataSource target = DuckDbDataSource.readWrite(notAFolder.resolve("target.duckdb"))) {
            assertThatThrownBy(() -> writer(target, null).open(new ExecutionContext()))
                .isInstanceOf(ItemStreamException.class)
                .hasMessageContaining(notAFolder.resolve("target.duckdb").toString());
        }
    }

    @Test
    void builderNamesWhatIsMissing() {
        assertThatThrownBy(() -> AppenderItemWriter.<Row>builder().table("t").binder((r, a) -> {
        }).build()).hasMessageContaining("needs dataSource");
        assertThatThrownBy(() -> AppenderItemWriter.<Row>builder()
            .dataSource(DuckDbDataSource.readWrite(this.dir.resolve("x.duckdb")))
            .table("t")
            .build()).hasMessageContaining("needs binder");
        assertThatThrownBy(() -> AppenderItemWriter.<Row>builder()
            .dataSource(DuckDbDataSource.readWrite(this.dir.resolve("x.duckdb")))
            .table("t x")
            .binder((r, a) -> {
            })
            .build()).hasMessageContaining("table 't x' is not a plain SQL name");
    }

}
