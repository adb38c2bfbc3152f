package io.duckbatch.core.write;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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

class StagedUpdateItemWriterTest {

    record Change(String key, String status, int score) {
    }

    private static final List<Change> CHANGES = List.of(new Change("k03", "dormant", 30), new Change("k07", "active", 70),
            new Change("k11", null, 110), new Change("missing", "x", 1), new Change("k19", "dormant", 190));

    @TempDir
    Path dir;

    private Path table(String name) throws SQLException {
        Path file = this.dir.resolve(name);
        DuckDbFiles.execute(file, "CREATE TABLE companies (id VARCHAR PRIMARY KEY, name VARCHAR, status VARCHAR, score INTEGER)",
                "INSERT INTO companies SELECT 'k' || lpad(CAST(i AS VARCHAR), 2, '0'), 'Company ' || i, 'new', i FROM range(20) t(i)");
        return file;
    }

    private static StagedUpdateItemWriter<Change> writer(DuckDbDataSource target, SimplerTimer timer) {
        return StagedUpdateItemWriter.<Change>builder()
            .dataSource(target)
            .table("companies")
            .keyColumn("id")
            .updatedColumns("status", "score")
            .binder((change, row) -> {
                if (change.score() < 0) {
                    throw new SQLException("negative score for " + change.key());
                }
                row.append(change.key()).append(change.status()).append(change.score());
            })
            .timer(timer)
            .build();
    }

    @Test
    void oneSetBasedUpdateEqualsARowByRowLoop() throws Exception {
        Path staged = table("staged.duckdb");
        Path looped = table("looped.duckdb");
        SimplerTimer timer = new SimplerTimer();
        try (DuckDbDataSource target = DuckDbDataSource.readWrite(staged)) {
            StagedUpdateItemWriter<Change> writer = writer(target, timer);
            writer.open(new ExecutionContext());
            writer.write(new Chunk<>(CHANGES.subList(0, 3)));
            writer.write(new Chunk<>(CHANGES.subList(3, 5)));
            writer.close();
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + looped);
                PreparedStatement update = connection.prepareStatement("UPDATE companies SET status = ?, score = ? WHERE id = ?")) {
            for (Change change : CHANGES) {
                update.setString(1, change.status());
                update.setInt(2, change.score());
                update.setString(3, change.key());
                update.executeUpdate();
            }
        }
        String all = "SELECT id, name, status, score FROM companies ORDER BY id";
        assertThat(DuckDbFiles.rows(staged, all)).isEqualTo(DuckDbFiles.rows(looped, all));
        assertThat(DuckDbFiles.count(staged, "SELECT count(*) FROM companies WHERE status = 'new'")).isEqualTo(16);
        assertThat(timer.snapshot()).singleElement().satisfies(p -> assertThat(p.calls()).isEqualTo(2));
    }

    @Test
    void aFailingChunkLeavesTheTargetUntouched() throws Exception {
        Path file = table("target.duckdb");
        String all = "SELECT id, name, status, score FROM companies ORDER BY id";
        List<List<Object>> before = DuckDbFiles.rows(file, all);
        try (DuckDbDataSource target = DuckDbDataSource.readWrite(file)) {
            StagedUpdateItemWriter<Change> writer = writer(target, null);
            writer.open(new ExecutionContext());
            assertThatThrownBy(() -> writer.write(Chunk.of(new Change("k01", "changed", 1), new Change("k02", "changed", -1))))
                .hasMessageContaining("negative score for k02");
            writer.close();
        }
        assertThat(DuckDbFiles.rows(file, all)).isEqualTo(before);
    }

    @Test
    void builderSaysWhatToFix() {
        DuckDbDataSource target = DuckDbDataSource.readWrite(this.dir.resolve("x.duckdb"));
        assertThatThrownBy(() -> StagedUpdateItemWriter.<Change>builder().dataSource(target).table("companies")
            .updatedColumns("status").binder((c, r) -> r.append(c.key())).build()).hasMessageContaining("needs keyColumn");
        assertThatThrownBy(() -> StagedUpdateItemWriter.<Change>builder().dataSource(target).table("companies")
            .keyColumn("id").binder((c, r) -> r.append(c.key())).build()).hasMessageContaining("needs updatedColumns");
        assertThatThrownBy(() -> StagedUpdateItemWriter.<Change>builder().dataSource(target).table("companies")
            .keyColumn("id").updatedColumns("status", "id").binder((c, r) -> r.append(c.key())).build())
            .hasMessageContaining("key column 'id' cannot also be an updated column");
    }

}
