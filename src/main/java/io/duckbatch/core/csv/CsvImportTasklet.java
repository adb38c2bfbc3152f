package io.duckbatch.core.csv;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.duckbatch.core.csv.CsvInputs.CsvFile;
import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.duckdb.SqlNames;
import io.duckbatch.core.duckdb.StatementProgress;
import io.duckbatch.core.duckdb.Statements;
import io.duckbatch.core.duckdb.TableSwap;
import io.duckbatch.core.timing.SimplerTimer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Rule 4 for files: loads CSV files into a DuckDB table in one {@code INSERT ... SELECT} over
 * {@code read_csv}, so DuckDB parses, types and transforms every row in-engine and no row
 * crosses into Java. The table is stored in key order (zone maps make the keyset readers of
 * later jobs read only the pages they need) and gets its PRIMARY KEY after loading.
 * <p>
 * Lines the reader cannot take (wrong number of columns, a value that does not parse as its
 * column's type, invalid UTF-8, an unterminated quote) are kept by DuckDB's own reject tables
 * and copied to a rejects table beside the table: file, line, byte position, column, reason,
 * the raw line. A key seen twice keeps the row of its first line; the later ones, and rows
 * without a key, are rejected with that reason (rare: found with one aggregate over the
 * sorted table, resolved by reading only those keys' rows again).
 * <p>
 * Restart contract: nothing is changed in place. The table and its rejects are built under
 * temporary names and swapped in with one transaction, after the rejects are within
 * {@link MaxRejects}; a failure, a refusal or a killed process leaves the previous table and
 * rejects as they were, and running the step again builds everything afresh (leftovers of a
 * killed run are dropped first).
 */
public class CsvImportTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(CsvImportTasklet.class);

    private static final String REJECT_ERRORS = "csv_reject_errors";

    private static final String REJECT_SCANS = "csv_reject_scans";

    private static final String REJECTS_COLUMNS = "file VARCHAR, line BIGINT, byte_position BIGINT, column_name VARCHAR,"
            + " reason VARCHAR, raw_line VARCHAR";

    private final DuckDbDataSource database;

    private final String input;

    private final Path workFolder;

    private final CsvLayout layout;

    private final String table;

    private final String columns;

    private final String select;

    private final String key;

    private final String csvKey;

    private final String rejectsTable;

    private final MaxRejects maxRejects;

    private final String rowNoun;

    private final SimplerTimer timer;

    private final Duration progressInterval;

    private CsvImportTasklet(Builder builder) {
        this.database = builder.database;
        this.input = builder.input;
        this.workFolder = builder.workFolder;
        this.layout = builder.layout;
        this.table = builder.table;
        this.columns = builder.columns;
        this.select = builder.select;
        this.key = builder.key;
        this.csvKey = builder.csvKey;
        this.rejectsTable = builder.rejectsTable;
        this.maxRejects = builder.maxRejects;
        this.rowNoun = builder.rowNoun;
        this.timer = (builder.timer != null) ? builder.timer : new SimplerTimer();
        this.progressInterval = builder.progressInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What one import did: rows kept, lines read, lines rejected, bytes read. */
    private record Outcome(long rows, long lines, long rejected, long bytes) {
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        long start = System.nanoTime();
        Outcome outcome;
        // The database first: its lock keeps a second import of the same database away from the work folder.
        try (Connection connection = this.database.getConnection(); CsvInputs inputs = inputs()) {
            outcome = load(connection, inputs);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        var stepExecution = chunkContext.getStepContext().getStepExecution();
        stepExecution.setReadCount(outcome.lines() - outcome.rejected());
        contribution.incrementReadSkipCount(outcome.rejected());
        contribution.incrementWriteCount(outcome.rows());
        stepExecution.getExecutionContext().putLong("import.bytes", outcome.bytes());
        log.info(String.format(Locale.ROOT, "Imported %,d %s into %s of %s in %.1f s (%,.0f rows/s, %,.0f MB/s)", outcome.rows(),
                this.rowNoun, this.table, this.database, seconds, outcome.rows() / seconds, outcome.bytes() / 1e6 / seconds));
        log.info(String.format(Locale.ROOT, "%,d of %,d lines rejected%s", outcome.rejected(), outcome.lines(),
                (outcome.rejected() == 0) ? "" : ": see table " + this.rejectsTable + " in " + this.database));
        return RepeatStatus.FINISHED;
    }

    private CsvInputs inputs() throws Exception {
        try (var t = this.timer.track("inflate")) {
            CsvInputs inputs = CsvInputs.open(this.input, this.workFolder);
            try {
                for (CsvFile file : inputs.files()) {
                    this.layout.requireHeader(file.name(), file.path());
                }
                return inputs;
            }
            catch (Exception ex) {
                inputs.close();
                throw ex;
            }
        }
    }

    private Outcome load(Connection connection, CsvInputs inputs) throws Exception {
        String building = this.table + "__importing";
        String rejectsBuilding = this.rejectsTable + "__importing";
        try {
            Statements.execute(connection, "DROP TABLE IF EXISTS " + building);
            Statements.execute(connection, "DROP TABLE IF EXISTS " + rejectsBuilding);
            Statements.execute(connection, "CREATE TABLE " + building + " (" + this.columns + ")");
            Statements.execute(connection, "CREATE TABLE " + rejectsBuilding + " (" + REJECTS_COLUMNS + ")");
            String files = fileNames(inputs.files());
            log.info(String.format(Locale.ROOT, "Reading %d file(s), %,d MB, into %s", inputs.files().size(),
                    inputs.bytes() >> 20, building));
            try (var t = this.timer.track("read")) {
                long start = System.nanoTime();
                StatementProgress.execute(connection, "INSERT INTO " + building + " BY NAME SELECT " + this.select + " FROM "
                        + readCsv(inputs.files(), "store_rejects=true, rejects_table='" + REJECT_ERRORS
                                + "', rejects_scan='" + REJECT_SCANS + "'")
                        + " ORDER BY " + this.key, this.progressInterval,
                        percent -> log.info(String.format(Locale.ROOT, "Reading into %s: %.0f%% after %.0f s", building, percent,
                                (System.nanoTime() - start) / 1e9)));
            }
            long rowsRead = Statements.longValue(connection, "SELECT count(*) FROM " + building);
            try (var t = this.timer.track("rejects")) {
                Statements.execute(connection, "INSERT INTO " + rejectsBuilding + " SELECT f.name, e.line, min(e.byte_position),"
                        + " string_agg(DISTINCT e.column_name, ', ') FILTER (WHERE e.error_type NOT IN"
                        + " ('MISSING COLUMNS', 'TOO MANY COLUMNS')),"
                        + " CASE WHEN bool_or(e.error_type = 'TOO MANY COLUMNS') THEN arg_max(e.error_message, e.column_idx)"
                        + " ELSE arg_min(e.error_message, e.column_idx) END,"
                        // DuckDB's line of a CRLF file starts with the previous line's LF.
                        + " trim(any_value(e.csv_line), chr(13) || chr(10))"
                        + " FROM " + REJECT_ERRORS + " e JOIN " + files + " ON f.file_index = e.file_id"
                        + " GROUP BY f.file_index, f.name, e.line ORDER BY f.file_index, e.line");
            }
            long linesRejected = Statements.longValue(connection, "SELECT count(*) FROM " + rejectsBuilding);
            try (var t = this.timer.track("key")) {
                if (!addKey(connection, building)) {
                    rejectRepeatedKeys(connection, inputs.files(), building, rejectsBuilding, files);
                    Statements.execute(connection, "ALTER TABLE " + building + " ADD PRIMARY KEY (" + this.key + ")");
                }
            }
            long rejected = Statements.longValue(connection, "SELECT count(*) FROM " + rejectsBuilding);
            long lines = rowsRead + linesRejected;
            if (lines == 0) {
                throw new CsvFormatException(this.input + " has no lines after its header; " + this.table + " is unchanged");
            }
            if (this.maxRejects.exceededBy(rejected, lines)) {
                throw new CsvFormatException(tooManyRejects(connection, rejectsBuilding, rejected, lines));
            }
            try (var t = this.timer.track("swap")) {
                TableSwap.swapIn(connection, Map.of(building, this.table, rejectsBuilding, this.rejectsTable), List.of());
            }
            return new Outcome(Statements.longValue(connection, "SELECT count(*) FROM " + this.table), lines, rejected, inputs.bytes());
        }
        catch (Exception ex) {
            TableSwap.dropQuietly(connection, ex, building, rejectsBuilding);
            throw ex;
        }
    }

    /**
     * Adds the primary key; false when the rows have a repeated or missing key, which the
     * index build finds on its way (no separate pass over the keys when there are none).
     */
    private boolean addKey(Connection connection, String building) throws SQLException {
        try {
            Statements.execute(connection, "ALTER TABLE " + building + " ADD PRIMARY KEY (" + this.key + ")");
            return true;
        }
        catch (SQLException ex) {
            if (String.valueOf(ex.getMessage()).startsWith("Constraint Error")) {
                return false;
            }
            throw ex;
        }
    }

    /**
     * Rows without a key, and every row of a repeated key but the first, move to the rejects.
     * DuckDB's CSV reader numbers no good row, and a filtered or joined scan need not keep
     * the files' order, so the files are read again whole into a temporary table, whose
     * insertion order is the files' order (rowid orders the lines of a key). That costs a
     * second read, paid only by a file with such rows. Their line is left empty and their raw
     * line rebuilt from the values read.
     */
    private void rejectRepeatedKeys(Connection connection, List<CsvFile> inputs, String building, String rejectsBuilding,
            String files) throws SQLException {
        String repeatedKeys = "SELECT " + this.key + " FROM " + building + " GROUP BY " + this.key + " HAVING count(*) > 1";
        String csvKeyColumn = SqlNames.quote(this.csvKey);
        if (Statements.longValue(connection, "SELECT count(*) FROM (" + repeatedKeys + " UNION ALL SELECT NULL FROM " + building + " WHERE "
                + this.key + " IS NULL)") == 0) {
            return;
        }
        Statements.execute(connection, "CREATE OR REPLACE TEMP TABLE csv_lines AS SELECT *, file_index FROM "
                + readCsv(inputs, "ignore_errors=true"));
        Statements.execute(connection, "CREATE OR REPLACE TEMP TABLE csv_repeated AS SELECT rowid AS position, * FROM csv_lines WHERE "
                + csvKeyColumn + " IS NULL OR " + csvKeyColumn + " IN (" + repeatedKeys + ")");
        Statements.execute(connection, "DROP TABLE csv_lines");
        String firsts = "SELECT min(position) FROM csv_repeated WHERE " + csvKeyColumn + " IS NOT NULL GROUP BY " + csvKeyColumn;
        Statements.execute(connection, "INSERT INTO " + rejectsBuilding + " SELECT f.name, NULL, NULL, " + CsvLayout.quoteLiteral(this.csvKey)
                + ", CASE WHEN " + csvKeyColumn + " IS NULL THEN 'no " + this.csvKey + "' ELSE 'repeats " + this.csvKey + " '"
                + " || " + csvKeyColumn + " || ' of an earlier line, which is kept' END, " + rawLine()
                + " FROM csv_repeated r JOIN " + files + " USING (file_index) WHERE position NOT IN (" + firsts + ")"
                + " ORDER BY position");
        Statements.execute(connection, "DELETE FROM " + building + " WHERE " + this.key + " IS NULL OR " + this.key + " IN ("
                + "SELECT " + csvKeyColumn + " FROM csv_repeated)");
        Statements.execute(connection, "INSERT INTO " + building + " BY NAME SELECT " + this.select + " FROM csv_repeated WHERE position IN ("
                + firsts + ") ORDER BY " + csvKeyColumn);
        Statements.execute(connection, "DROP TABLE csv_repeated");
    }

    /** A row read again, written back as the line it came from: every value quoted, dates in the file's format. */
    private String rawLine() {
        return this.layout.columns().stream().map(column -> {
            String value = SqlNames.quote(column.name());
            String text = column.type().equals("DATE") ? "strftime(" + value + ", " + CsvLayout.quoteLiteral(this.layout.dateFormat())
                    + ")" : "CAST(" + value + " AS VARCHAR)";
            return "'\"' || replace(coalesce(" + text + ", ''), '\"', '\"\"') || '\"'";
        }).collect(Collectors.joining(", ", "concat_ws(',', ", ")"));
    }

    private String tooManyRejects(Connection connection, String rejectsBuilding, long rejected, long lines) throws SQLException {
        List<String> examples = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT file, line, reason FROM " + rejectsBuilding + " LIMIT 3")) {
            while (rs.next()) {
                examples.add(rs.getString(1) + (rs.getObject(2) == null ? "" : ":" + rs.getLong(2)) + ": " + rs.getString(3));
            }
        }
        return String.format(Locale.ROOT, "%,d of %,d lines rejected, more than %s allows (%s); %s is unchanged. First: %s."
                + " Fix the file, or raise %s to import the other lines and find the rejected ones in table %s",
                rejected, lines, this.maxRejects.setting(), this.maxRejects.describe(), this.table, String.join("; ", examples),
                this.maxRejects.setting(), this.rejectsTable);
    }

    private String readCsv(List<CsvFile> files, String rejects) {
        return "read_csv(" + files.stream().map(file -> CsvLayout.quoteLiteral(file.path().toString()))
            .collect(Collectors.joining(", ", "[", "]"))
                + ", header=true, auto_detect=false, delim=',', quote='\"', escape='\"', encoding='utf-8', dateformat="
                + CsvLayout.quoteLiteral(this.layout.dateFormat()) + ", columns=" + this.layout.readCsvColumns() + ", " + rejects
                + ")";
    }

    /** The input files as a relation {@code f(file_index, name)}, file_index as read_csv numbers them. */
    private static String fileNames(List<CsvFile> files) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            rows.add("(" + i + ", " + CsvLayout.quoteLiteral(files.get(i).name()) + ")");
        }
        return "(VALUES " + String.join(", ", rows) + ") f(file_index, name)";
    }

    public static final class Builder {

        private DuckDbDataSource database;

        private String input;

        private Path workFolder;

        private CsvLayout layout;

        private String table;

        private String columns;

        private String select;

        private String key;

        private String csvKey;

        private String rejectsTable;

        private MaxRejects maxRejects;

        private String rowNoun = "rows";

        private SimplerTimer timer;

        private Duration progressInterval = Duration.ZERO;

        private Builder() {
        }

        /** How often the long read says how far it is (DuckDB's estimate); zero: never. */
        public Builder progress(Duration progressInterval) {
            this.progressInterval = progressInterval;
            return this;
        }

        /** The database the table is built in; it is created when missing. */
        public Builder database(DuckDbDataSource database) {
            this.database = database;
            return this;
        }

        /**
         * What to read: a file or a glob (see {@link CsvInputs}), and where zip entries are
         * inflated (a folder of its own: it is emptied and removed).
         */
        public Builder input(String input, Path workFolder) {
            this.input = input;
            this.workFolder = workFolder;
            return this;
        }

        /** The files' columns, their types and date format, checked against every header. */
        public Builder layout(CsvLayout layout) {
            this.layout = layout;
            return this;
        }

        /**
         * The table, its column definitions (no PRIMARY KEY: {@code key} becomes it after
         * loading) and the SELECT list making its rows from the layout's columns, each
         * named as the table's column it fills ({@code "CompanyNumber" AS company_number}).
         */
        public Builder table(String table, String columns, String select) {
            this.table = table;
            this.columns = columns;
            this.select = select;
            return this;
        }

        /** The table's key column and the layout column it comes from: a key seen twice keeps its first line. */
        public Builder key(String key, String csvKey) {
            this.key = key;
            this.csvKey = csvKey;
            return this;
        }

        /** Where rejected lines go, beside the table, and how many are accepted. */
        public Builder rejects(String rejectsTable, MaxRejects maxRejects) {
            this.rejectsTable = rejectsTable;
            this.maxRejects = maxRejects;
            return this;
        }

        /** What a row is, for the log ("companies"). */
        public Builder rowNoun(String rowNoun) {
            this.rowNoun = rowNoun;
            return this;
        }

        /** Times the phases inflate, read, rejects, key (with repeated keys set aside) and swap in this step execution's timer. */
        public Builder timer(SimplerTimer timer) {
            this.timer = timer;
            return this;
        }

        public CsvImportTasklet build() {
            require(this.database != null, "database(...): where the table is built");
            require(this.workFolder != null, "input(input, workFolder): the files to read and a folder for zip entries");
            require(this.layout != null, "layout(...): the CSV files' columns");
            require(this.columns != null && this.select != null, "table(name, columns, select)");
            require(this.maxRejects != null, "rejects(table, maxRejects): where rejected lines go and how many are accepted");
            require(this.csvKey != null && this.layout.types().containsKey(this.csvKey),
                    "key(column, csvColumn) with csvColumn one of the layout's columns, was " + this.csvKey);
            try {
                SqlNames.requirePlain("CsvImportTasklet table", this.table);
                SqlNames.requirePlain("CsvImportTasklet key", this.key);
                SqlNames.requirePlain("CsvImportTasklet rejects table", this.rejectsTable);
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalStateException(ex.getMessage(), ex);
            }
            return new CsvImportTasklet(this);
        }

        private static void require(boolean condition, String what) {
            if (!condition) {
                throw new IllegalStateException("CsvImportTasklet needs " + what);
            }
        }

    }

}
