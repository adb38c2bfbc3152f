package io.duckbatch.core.write;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.timing.SimplerTimer;
import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VectorInsertItemWriterTest {

    @TempDir
    Path dir;

    record Row(String key, String name, double value, String tags) {
    }

    private VectorInsertItemWriter<Row> writer(DuckDbDataSource database, SimplerTimer timer) {
        return VectorInsertItemWriter.<Row>builder()
            .dataSource(database)
            .table("rows")
            .varchar("k", Row::key)
            .varchar("name", Row::name)
            .float8("value", Row::value)
            .varchar("tags", "CASE WHEN tags = '' THEN []::VARCHAR[] ELSE string_split(tags, ',') END", Row::tags)
            .timer(timer)
            .build();
    }

    /** Several vectors' worth of rows (5,000 > 2,048), odd strings and NULLs, in one chunk. */
    @Test
    void writesEveryValueOfTheChunkInOneStatement() throws Exception {
        Path file = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE rows (k VARCHAR NOT NULL, name VARCHAR, value DOUBLE NOT NULL, tags VARCHAR[])");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            rows.add(new Row("%05d".formatted(i), (i % 7 == 0) ? null : "O'Brien é " + i, i / 3.0, (i % 2 == 0) ? "" : "a,b" + i));
        }
        SimplerTimer timer = new SimplerTimer();
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(file)) {
            VectorInsertItemWriter<Row> writer = writer(database, timer);
            writer.open(new ExecutionContext());
            writer.write(new Chunk<>(rows.subList(0, 4_000)));
            writer.write(new Chunk<>(rows.subList(4_000, 5_000)));
            writer.close();
        }
        assertThat(DuckDbFiles.rows(file, "SELECT k, name, value, CAST(tags AS VARCHAR) FROM rows ORDER BY k"))
            .isEqualTo(rows.stream().map(r -> List.<Object>of(r.key(), String.valueOf(r.name()), r.value(),
                    r.tags().isEmpty() ? "[]" : "[" + r.tags().replace(",", ", ") + "]")).map(VectorInsertItemWriterTest::nullName)
                .toList());
        assertThat(timer.snapshot()).singleElement().satisfies(phase -> {
            assertThat(phase.phase()).isEqualTo("write");
            assertThat(phase.calls()).isEqualTo(2);
        });
    }

    /** A chunk the table refuses leaves nothing behind, and the next chunk is written. */
    @Test
    void aRefusedChunkWritesNothing() throws Exception {
        Path file = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE rows (k VARCHAR NOT NULL, name VARCHAR, value DOUBLE NOT NULL, tags VARCHAR[])");
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(file)) {
            VectorInsertItemWriter<Row> writer = writer(database, new SimplerTimer());
            writer.open(new ExecutionContext());
            assertThatThrownBy(() -> writer.write(new Chunk<>(new Row("1", "a", 1, ""), new Row(null, "b", 2, ""))))
                .hasMessageContaining("NOT NULL");
            writer.write(new Chunk<>(new Row("3", "c", 3, "x")));
            writer.close();
        }
        assertThat(DuckDbFiles.column(file, "SELECT k FROM rows")).containsExactly("3");
    }

    @Test
    void settingsAreCheckedWhenBuiltAndColumnsWhenOpened() throws Exception {
        Path file = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE other (k VARCHAR)");
        assertThatThrownBy(() -> VectorInsertItemWriter.<Row>builder().table("rows").varchar("k", Row::key).build())
            .hasMessageContaining("needs dataSource(...)");
        try (DuckDbDataSource database = DuckDbDataSource.readWrite(file)) {
            assertThatThrownBy(() -> VectorInsertItemWriter.<Row>builder().dataSource(database).table("rows").build())
                .hasMessageContaining("needs its columns");
            assertThatThrownBy(() -> VectorInsertItemWriter.<Row>builder().dataSource(database).table("rows; DROP")
                .varchar("k", Row::key).build()).hasMessageContaining("'rows; DROP' is not a plain SQL name");
            VectorInsertItemWriter<Row> writer = writer(database, new SimplerTimer());
            assertThatThrownBy(() -> writer.open(new ExecutionContext())).hasMessageContaining("rows")
                .hasMessageContaining(file.toString());
        }
    }

    private static List<Object> nullName(List<Object> row) {
        return "null".equals(row.get(1)) ? java.util.Arrays.asList(row.get(0), null, row.get(2), row.get(3)) : row;
    }

}
