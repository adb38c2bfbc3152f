package io.duckbatch.core.write;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.support.DuckDbFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StagedInsertItemWriterTest {

    @TempDir
    Path dir;

    private static StagedInsertItemWriter<String> writer(DuckDbDataSource target) {
        return StagedInsertItemWriter.<String>builder()
            .dataSource(target)
            .table("events")
            .columns("name")
            .binder((name, row) -> {
                if (name.isEmpty()) {
                    throw new SQLException("empty name");
                }
                row.append(name);
            })
            .build();
    }

    @Test
    void databaseFillsSequenceAndDefaultColumns() throws Exception {
        Path file = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(file, "CREATE SEQUENCE event_id",
                "CREATE TABLE events (_auto_id BIGINT DEFAULT nextval('event_id'), name VARCHAR, source VARCHAR DEFAULT 'duckbatch')");
        try (DuckDbDataSource target = DuckDbDataSource.readWrite(file)) {
            StagedInsertItemWriter<String> writer = writer(target);
            writer.open(new ExecutionContext());
            writer.write(Chunk.of("a", "b"));
            assertThatThrownBy(() -> writer.write(Chunk.of("c", ""))).hasMessageContaining("empty name");
            writer.write(Chunk.of("d"));
            writer.close();
        }
        assertThat(DuckDbFiles.rows(file, "SELECT name, source FROM events ORDER BY _auto_id"))
            .containsExactly(List.of("a", "duckbatch"), List.of("b", "duckbatch"), List.of("d", "duckbatch"));
        // Nothing of the failed chunk reached the table, so every row has an id and COUNT(*) = distinct ids.
        assertThat(DuckDbFiles.count(file, "SELECT count(DISTINCT _auto_id) FROM events WHERE _auto_id IS NOT NULL"))
            .isEqualTo(3);
    }

    @Test
    void builderNeedsTheColumns() {
        assertThatThrownBy(() -> StagedInsertItemWriter.<String>builder()
            .dataSource(DuckDbDataSource.readWrite(this.dir.resolve("x.duckdb")))
            .table("events")
            .binder((name, row) -> row.append(name))
            .build()).hasMessageContaining("needs columns");
        assertThatThrownBy(() -> StagedInsertItemWriter.<String>builder()
            .dataSource(DuckDbDataSource.readWrite(this.dir.resolve("x.duckdb")))
            .table("events")
            .columns("name", "bad name")
            .binder((name, row) -> row.append(name))
            .build()).hasMessageContaining("column 'bad name'");
    }

    @Test
    void unknownColumnIsNamedAtOpen() throws Exception {
        Path file = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(file, "CREATE TABLE events (id INTEGER, title VARCHAR)");
        try (DuckDbDataSource target = DuckDbDataSource.readWrite(file)) {
            assertThatThrownBy(() -> writer(target).open(new ExecutionContext()))
                .hasMessageContaining("Column [name] not found in table 'events'");
        }
    }

}
