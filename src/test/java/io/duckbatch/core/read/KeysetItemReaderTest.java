package io.duckbatch.core.read;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.keyset.KeyRangePartitioner;
import io.duckbatch.core.keyset.KeysetQuery;
import io.duckbatch.core.resume.DestinationCheckpoint;
import io.duckbatch.core.timing.SimplerTimer;
import io.duckbatch.support.DuckDbFiles;

import org.duckdb.DuckDBReadableVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeysetItemReaderTest {

    @TempDir
    Path dir;

    Path sourceFile;

    DuckDbDataSource source;

    /** Every key in DuckDB's order, read before the reader opens the file read-only. */
    List<String> allKeys;

    @BeforeEach
    void createSource() throws Exception {
        this.sourceFile = this.dir.resolve("source.duckdb");
        // UK-style keys inserted out of order; mixed prefixes, a quote, digits before letters.
        DuckDbFiles.execute(this.sourceFile,
                "CREATE TABLE companies (company_number VARCHAR PRIMARY KEY, name VARCHAR, status VARCHAR)",
                "INSERT INTO companies SELECT CASE i % 4 WHEN 0 THEN 'SC' WHEN 1 THEN 'NI' WHEN 2 THEN 'OC' ELSE '0' END"
                        + " || lpad(CAST((i * 7919) % 100000 AS VARCHAR), 6, '0'), 'Company ' || i,"
                        + " CASE WHEN i % 3 = 0 THEN 'dissolved' ELSE 'active' END FROM range(103) t(i)",
                "INSERT INTO companies VALUES ('O''BRIEN1', 'Quote Ltd', 'active')");
        this.allKeys = keys("SELECT company_number FROM companies ORDER BY company_number");
        this.source = DuckDbDataSource.readOnly(this.sourceFile);
    }

    private List<String> keys(String sql) throws Exception {
        return DuckDbFiles.column(this.sourceFile, sql).stream().map(String.class::cast).toList();
    }

    @AfterEach
    void close() throws Exception {
        this.source.close();
    }

    private KeysetItemReader.Builder<String> reader() {
        return KeysetItemReader.<String>builder()
            .dataSource(this.source)
            .table("companies")
            .keyColumn("company_number")
            .columns("name")
            .pageSize(7)
            .rowMapper((rs, row) -> rs.getString(1));
    }

    private static List<String> readAll(KeysetItemReader<String> reader, ExecutionContext context) throws Exception {
        reader.open(context);
        List<String> keys = new ArrayList<>();
        for (String key = reader.read(); key != null; key = reader.read()) {
            keys.add(key);
        }
        reader.close();
        return keys;
    }

    /** Reads 17 items and saves the context, as a chunk commit would, then the rest with a new reader. */
    private static List<String> readAcrossARestart(Supplier<KeysetItemReader<String>> readers) throws Exception {
        KeysetItemReader<String> first = readers.get();
        ExecutionContext context = new ExecutionContext();
        first.open(context);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            keys.add(first.read());
        }
        first.update(context);
        first.close();
        keys.addAll(readAll(readers.get(), context));
        return keys;
    }

    @Test
    void readsEveryRowInDuckDbKeyOrderAcrossPages() throws Exception {
        List<String> keys = readAll(reader().build(), new ExecutionContext());

        assertThat(keys).hasSize(104).containsExactlyElementsOf(this.allKeys);
    }

    @Test
    void workPredicateSelectsInSqlWithBoundValues() throws Exception {
        this.source.close();
        List<String> expected = keys("SELECT company_number FROM companies WHERE status = 'dissolved' ORDER BY company_number");

        List<String> keys = readAll(reader().workPredicate("status = ?", "dissolved").build(), new ExecutionContext());

        assertThat(keys).isNotEmpty().containsExactlyElementsOf(expected);
    }

    @Test
    void pageQueriesAreTimedAndRowsToReadCounted() throws Exception {
        SimplerTimer timer = new SimplerTimer();
        KeysetItemReader<String> reader = reader().timer(timer).pageSize(10).build();
        reader.open(new ExecutionContext());
        assertThat(reader.getRowsToRead()).isEqualTo(104);
        while (reader.read() != null) {
        }
        reader.close();
        // 104 rows in pages of 10: 10 full pages and one of 4.
        assertThat(timer.snapshot()).filteredOn(p -> p.phase().equals("read")).singleElement()
            .satisfies(p -> assertThat(p.calls()).isEqualTo(11));
    }

    @Test
    void restartsFromTheExecutionContextWithoutDestination() throws Exception {
        assertThat(readAcrossARestart(() -> reader().build()))
            .containsExactlyElementsOf(readAll(reader().build(), new ExecutionContext()));
    }

    /** Key ranges cut by the partitioner cover every row once; each reads across a restart alike. */
    @Test
    void keyRangesOfThePartitionerReadEveryRowOnceInOrder() throws Exception {
        Map<String, ExecutionContext> partitions = new KeyRangePartitioner("companies", this.source, "companies",
                "company_number").partition(5);
        assertThat(partitions.keySet()).containsExactly("companies-0001", "companies-0002", "companies-0003",
                "companies-0004", "companies-0005");
        List<String> keys = new ArrayList<>();
        for (ExecutionContext range : partitions.values()) {
            Supplier<KeysetItemReader<String>> readers = () -> reader()
                .keyRange(KeyRangePartitioner.after(range), KeyRangePartitioner.upTo(range))
                .build();
            List<String> read = readAcrossARestart(readers);
            assertThat(read).containsExactlyElementsOf(readAll(readers.get(), new ExecutionContext()));
            keys.addAll(read);
        }
        assertThat(keys).containsExactlyElementsOf(this.allKeys);
    }

    /** A partitioner given the fewest rows worth a task cuts fewer, fuller ranges: one when the table holds fewer. */
    @Test
    void aMinimumOfRowsPerTaskCutsASmallTableIntoFewerRanges() throws Exception {
        int rows = this.allKeys.size();
        Map<String, ExecutionContext> halves = new KeyRangePartitioner("changes", this.source, "companies",
                "company_number", (rows + 1) / 2).partition(8);
        assertThat(halves.keySet()).containsExactly("changes-0001", "changes-0002");
        assertThat(KeyRangePartitioner.upTo(halves.get("changes-0002"))).isEqualTo(this.allKeys.get(rows - 1));
        Map<String, ExecutionContext> one = new KeyRangePartitioner("changes", this.source, "companies",
                "company_number", rows + 1).partition(8);
        assertThat(one).containsOnlyKeys("changes-0001");
        assertThat(KeyRangePartitioner.after(one.get("changes-0001"))).isNull();
        assertThat(KeyRangePartitioner.upTo(one.get("changes-0001"))).isEqualTo(this.allKeys.get(rows - 1));
        assertThatThrownBy(() -> new KeyRangePartitioner("changes", this.source, "companies", "company_number", 0))
            .hasMessageContaining("minimumRows of the partitioner of companies must be at least 1, was 0");
    }

    /** Columnar pages hand out the same rows in the same order as the ResultSet's, computed columns included. */
    @Test
    void columnarPagesReadWhatResultSetPagesRead() throws Exception {
        KeysetItemReader.Builder<String> rows = reader().computed("upper(status) || ':' || length(name)");
        List<String> byResultSet = readAll(rows.rowMapper((rs, row) -> rs.getString(1) + "/" + rs.getString(2) + "/"
                + rs.getString(3)).build(), new ExecutionContext());
        List<String> columnar = readAll(reader().computed("upper(status) || ':' || length(name)").rowMapper(null)
            .columnarRows((chunk, items) -> {
                DuckDBReadableVector keys = chunk.vector(0);
                DuckDBReadableVector names = chunk.vector(1);
                DuckDBReadableVector computed = chunk.vector(2);
                for (long row = 0; row < chunk.rowCount(); row++) {
                    items.add(keys.getString(row) + "/" + names.getString(row) + "/" + computed.getString(row));
                }
            })
            .build(), new ExecutionContext());
        assertThat(columnar).hasSize(this.allKeys.size()).containsExactlyElementsOf(byResultSet);
        assertThat(columnar.get(0)).startsWith(this.allKeys.get(0) + "/Company ");
    }

    @Test
    void resumesAfterTheDestinationsMaxKeyAndClearsOnFreshStart() throws Exception {
        List<String> afterOc = keys("SELECT company_number FROM companies WHERE company_number > 'OC000000' ORDER BY company_number");
        Path targetFile = this.dir.resolve("target.duckdb");
        DuckDbFiles.execute(targetFile, "CREATE TABLE done (task VARCHAR, company_number VARCHAR)");
        try (DuckDbDataSource target = DuckDbDataSource.readWrite(targetFile)) {
            DestinationCheckpoint checkpoint = DestinationCheckpoint.builder()
                .destination(target)
                .table("done")
                .keyColumn("company_number")
                .task("task", "A")
                .build();
            try (var connection = target.getConnection(); var statement = connection.createStatement()) {
                statement.execute("INSERT INTO done VALUES ('A', 'NI000001'), ('A', 'OC000000'), ('B', 'SC099999')");
            }

            // A task that already started continues after its own MAX(key): 'OC000000'.
            ExecutionContext started = new ExecutionContext();
            started.putString(DestinationCheckpoint.startedKey("keyset.companies"), "true");
            List<String> resumed = readAll(reader().resumeFrom(checkpoint).build(), started);
            assertThat(resumed).isNotEmpty().containsExactlyElementsOf(afterOc);

            // A fresh task deletes its own earlier rows (only its own) and reads everything.
            try (var connection = target.getConnection(); var statement = connection.createStatement()) {
                statement.execute("INSERT INTO done VALUES ('A', 'NI000001')");
            }
            List<String> fresh = readAll(reader().resumeFrom(checkpoint).build(), new ExecutionContext());
            assertThat(fresh).hasSize(104);
            assertThat(checkpoint.lastKey()).isNull();
        }
        assertThat(DuckDbFiles.column(targetFile, "SELECT task FROM done")).containsExactly("B");
    }

    @Test
    void unknownTableOrColumnIsNamedWithTheFile() {
        assertThatThrownBy(() -> reader().table("nosuch").build().open(new ExecutionContext()))
            .isInstanceOf(ItemStreamException.class)
            .hasMessageContaining("'nosuch'")
            .hasMessageContaining(this.sourceFile.toString());
        assertThatThrownBy(() -> reader().columns("name", "turnover").build().open(new ExecutionContext()))
            .isInstanceOf(ItemStreamException.class)
            .hasMessageContaining("[turnover]")
            .hasMessageContaining("'companies'");
    }

    @Test
    void nullKeysAreRefusedBecausePagingWouldSkipThem() throws Exception {
        this.source.close();
        DuckDbFiles.execute(this.sourceFile, "CREATE TABLE loose (id VARCHAR, name VARCHAR)",
                "INSERT INTO loose VALUES ('a', 'x'), (NULL, 'y'), (NULL, 'z')");
        assertThatThrownBy(() -> reader().table("loose").keyColumn("id").build().open(new ExecutionContext()))
            .isInstanceOf(ItemStreamException.class)
            .hasMessageContaining("2 row(s) with NULL key column 'id'");
    }

    @Test
    void missingSourceFileIsNamed() {
        DuckDbDataSource missing = DuckDbDataSource.readOnly(this.dir.resolve("missing.duckdb"));
        assertThatThrownBy(() -> reader().dataSource(missing).build().open(new ExecutionContext()))
            .hasMessageContaining(this.dir.resolve("missing.duckdb") + " does not exist");
        assertThat(this.dir.resolve("missing.duckdb")).doesNotExist();
    }

    @Test
    void builderRejectsWhatCannotWork() {
        assertThatThrownBy(() -> reader().table("companies; DROP TABLE companies").build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("table 'companies; DROP TABLE companies' is not a plain SQL name");
        assertThatThrownBy(() -> reader().keyColumn("id desc").build()).hasMessageContaining("key column 'id desc'");
        assertThatThrownBy(() -> reader().pageSize(0).build()).hasMessageContaining("pageSize must be at least 1");
        assertThatThrownBy(() -> reader().rowMapper(null).build()).hasMessageContaining("rowMapper");
        assertThatThrownBy(() -> reader().dataSource(null).build()).hasMessageContaining("dataSource");
        assertThatThrownBy(() -> reader().workPredicate("status = ? AND name = ?", "x").build())
            .hasMessageContaining("2 '?' placeholders but 1 parameters");
    }

    /** A job builds its query once, checks the table with it, and hands the same query to its readers. */
    @Test
    void readsAQueryBuiltAndVerifiedBeforehand() throws Exception {
        KeysetQuery dissolved = KeysetQuery.builder()
            .table("companies")
            .keyColumn("company_number")
            .columns("name")
            .workPredicate("status = ?", "dissolved")
            .build();
        try (var connection = this.source.getConnection()) {
            dissolved.verify(connection, this.source.toString());
        }
        KeysetItemReader<String> reader = KeysetItemReader.<String>builder()
            .dataSource(this.source)
            .query(dissolved)
            .pageSize(7)
            .rowMapper((rs, row) -> rs.getString(1))
            .build();
        assertThat(reader.getQuery()).isSameAs(dissolved);
        this.source.close();
        List<String> expected = keys("SELECT company_number FROM companies WHERE status = 'dissolved' ORDER BY company_number");
        assertThat(readAll(reader, new ExecutionContext())).isNotEmpty().containsExactlyElementsOf(expected);
        assertThatThrownBy(() -> reader().query(dissolved).build()).hasMessageContaining("query(...) or table(...)");
    }

    /** The context saved before the first read of a restarted run still says where that run started. */
    @Test
    void aPositionSavedBeforeTheFirstReadIsTheOneItStartedFrom() throws Exception {
        ExecutionContext context = new ExecutionContext();
        context.put("keyset.companies.pageStartKey", this.allKeys.get(20));
        context.putInt("keyset.companies.pageIndex", 0);
        KeysetItemReader<String> restarted = reader().build();
        restarted.open(context);
        restarted.update(context);
        restarted.close();

        assertThat(context.get("keyset.companies.pageStartKey")).isEqualTo(this.allKeys.get(20));
        assertThat(readAll(reader().build(), context)).containsExactlyElementsOf(this.allKeys.subList(21, this.allKeys.size()));
    }

    /** Rows gone from a page between the reader's open and that page's query: the pages after it are still read. */
    @Test
    void aPageThatCameBackEmptyDoesNotEndTheRead() throws Exception {
        this.source.close();
        try (DuckDbDataSource writable = DuckDbDataSource.readWrite(this.sourceFile)) {
            KeysetItemReader<String> reader = reader().dataSource(writable).build();
            reader.open(new ExecutionContext());
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                keys.add(reader.read());
            }
            try (var connection = writable.getConnection(); var delete = connection
                .prepareStatement("DELETE FROM companies WHERE company_number > ? AND company_number <= ?")) {
                delete.setString(1, this.allKeys.get(6));
                delete.setString(2, this.allKeys.get(13));
                delete.executeUpdate();
            }
            for (String key = reader.read(); key != null; key = reader.read()) {
                keys.add(key);
            }
            reader.close();
            List<String> expected = new ArrayList<>(this.allKeys.subList(0, 7));
            expected.addAll(this.allKeys.subList(14, this.allKeys.size()));
            assertThat(keys).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void pageQueryBindsEveryValue() {
        KeysetQuery query = reader().workPredicate("status = ?", "active").build().getQuery();
        assertThat(query.pageSql(true)).isEqualTo(
                "SELECT company_number, name FROM companies WHERE company_number > ? AND (status = ?) ORDER BY company_number LIMIT ?");
        assertThat(query.pageSql(false))
            .isEqualTo("SELECT company_number, name FROM companies WHERE (status = ?) ORDER BY company_number LIMIT ?");
        // What the reader runs: pages bounded by the keys DuckDB found when it opened.
        assertThat(query.rangePageSql(true)).isEqualTo("SELECT company_number, name FROM companies WHERE company_number > ?"
                + " AND company_number <= ? AND (status = ?) ORDER BY company_number");
        assertThat(query.rangePageSql(false)).isEqualTo(
                "SELECT company_number, name FROM companies WHERE company_number <= ? AND (status = ?) ORDER BY company_number");
    }

}
