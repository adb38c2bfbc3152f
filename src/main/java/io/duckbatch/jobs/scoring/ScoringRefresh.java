package io.duckbatch.jobs.scoring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.duckbatch.core.duckdb.Statements;

/**
 * What the target's {@code rtic_scores} was computed from, and the incremental run that
 * scores only what changed since (issue 15). All of it is SQL on the target connection, the
 * source {@code ATTACH}ed read-only: no key crosses into Java.
 * <p>
 * The rule: the target holds {@value #SCORED_COMPANIES} (key_hash = {@code hash(company_number)},
 * fingerprint = {@code hash(name, sic_codes)}) and {@value #SCORED_CODES} (rtic_code, fingerprint of its
 * keywords, SIC prefixes, the threshold and {@link CompanyScorer#VERSION}) exactly when
 * {@code rtic_scores} is complete for them: both are written in the transaction that
 * completes the scores (a full run's last step, {@link #record}; an incremental run's
 * {@link #apply}), and dropped by a full run before it writes its first row. Without them a
 * run is full; with them (and without {@code duckbatch.scoring.full-refresh}) it is
 * incremental ({@link #plan}):
 * <ul>
 * <li>companies new, removed, or whose fingerprint changed go to {@value #COMPANY_CHANGES}
 * (one full join of the source's hashes with the recorded ones; a removed company is known by
 * its key's hash, which finds its rows in {@code rtic_scores}); codes new, removed or
 * whose fingerprint changed to {@value #CODE_CHANGES};</li>
 * <li>the companies to score go to {@value #RESCORE} (name and SIC codes copied from the
 * source): the new and changed ones, or every company when a code is new or changed (that
 * code is re-scored in full);</li>
 * <li>the job's scoring tasks score them against every code into {@value #DELTA}, resumable
 * after its {@code MAX(company_number)} as a full run's tasks are;</li>
 * <li>{@link #apply} then, in one transaction: deletes the rows of changed and removed
 * companies and codes from {@code rtic_scores}, inserts the rows of {@value #DELTA} for
 * changed companies or changed codes (a row of an unchanged company and code is already
 * there, the same), records the new fingerprints and drops the work tables.</li>
 * </ul>
 * Restart contract: the change set, materialised in the target by the plan step (once per
 * job instance), is the truth of an interrupted incremental run; {@code rtic_scores} and the
 * fingerprints are untouched until {@link #apply}, which is atomic and a no-op once its work
 * tables are gone. So kill -9 anywhere, then the same command, gives the result of an
 * uninterrupted run; a run abandoned midway leaves the previous complete result, and the next
 * run plans afresh against it.
 */
final class ScoringRefresh {

    static final String SCORED_COMPANIES = "rtic_scored_companies";

    static final String SCORED_CODES = "rtic_scored_codes";

    static final String COMPANY_CHANGES = "rtic_refresh_companies";

    static final String CODE_CHANGES = "rtic_refresh_codes";

    /** The codes as this run scores them, recorded by {@link #apply}. */
    static final String CODES_NOW = "rtic_refresh_codes_now";

    static final String RESCORE = "rtic_refresh_rescore";

    static final String DELTA = "rtic_refresh_scores";

    private static final List<String> WORK_TABLES = List.of(DELTA, RESCORE, COMPANY_CHANGES, CODE_CHANGES, CODES_NOW);

    /** Job ExecutionContext: the run's {@link Mode}, decided once per job instance, and what it does, in words. */
    static final String MODE_KEY = "scoring.refresh";

    static final String SUMMARY_KEY = "scoring.refresh.summary";

    /** applyScoringChanges' ExecutionContext: what it did to rtic_scores, in words. */
    static final String APPLIED_KEY = "scoring.refresh.applied";

    /** A company by its key, and its scored inputs: 64-bit hashes, 16 bytes a company. */
    private static final String KEY_HASH = "hash(company_number)";

    private static final String FINGERPRINT = "hash(name, sic_codes)";

    enum Mode {

        /** Every company against every code, into rtic_scores. */
        FULL,

        /** What changed, into the work table, then applied. */
        INCREMENTAL

    }

    record Plan(Mode mode, String summary) {
    }

    private ScoringRefresh() {
    }

    /**
     * Decides the run and prepares the target for it, in one transaction: for a full run,
     * drops the recorded inputs and work tables and empties {@code rtic_scores}; for an
     * incremental one, materialises the change set and the companies to score.
     * @param source the alias the source is attached under on {@code target}
     * @param fullRefresh why the run must score in full whatever the target recorded (the
     *        setting, a distributed run), or null
     */
    static Plan plan(Connection target, String source, List<RticCode> codes, double threshold, String fullRefresh)
            throws SQLException {
        boolean recorded = exists(target, SCORED_COMPANIES) && exists(target, SCORED_CODES);
        return inTransaction(target, statement -> {
            for (String table : WORK_TABLES) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
            if (fullRefresh != null || !recorded) {
                statement.execute("DROP TABLE IF EXISTS " + SCORED_COMPANIES);
                statement.execute("DROP TABLE IF EXISTS " + SCORED_CODES);
                statement.execute("DELETE FROM " + CompanyScoringJobConfiguration.TARGET_TABLE);
                return new Plan(Mode.FULL, "full: every company against every code (" + (fullRefresh != null
                        ? fullRefresh + ")" : "no completed run in the target yet)"));
            }
            writeCodes(target, CODES_NOW, codes, threshold);
            statement.execute("CREATE TABLE " + CODE_CHANGES + " AS SELECT coalesce(n.rtic_code, o.rtic_code) AS rtic_code, "
                    + change("n.rtic_code", "o.rtic_code") + " FROM " + CODES_NOW + " n FULL JOIN " + SCORED_CODES
                    + " o ON n.rtic_code = o.rtic_code WHERE n.fingerprint IS DISTINCT FROM o.fingerprint");
            // Joined on hashes, not on the keys: a full join of two columns of 64-bit numbers. The
            // scored inputs of new and changed companies come along, so the source is read once.
            statement.execute("CREATE TABLE " + COMPANY_CHANGES + " AS SELECT n.company_number, n.name, n.sic_codes,"
                    + " coalesce(n.key_hash, o.key_hash) AS key_hash, n.fingerprint, " + change("n.key_hash", "o.key_hash")
                    + " FROM (SELECT company_number, name, sic_codes, " + KEY_HASH + " AS key_hash, " + FINGERPRINT
                    + " AS fingerprint FROM " + source + ".companies) n FULL JOIN " + SCORED_COMPANIES
                    + " o ON n.key_hash = o.key_hash WHERE n.fingerprint IS DISTINCT FROM o.fingerprint");
            boolean codeToScore = Statements.longValue(target, "SELECT count(*) FROM " + CODE_CHANGES
                    + " WHERE change <> 'removed'") > 0;
            // In key order, as the keyset readers of the tasks read it (the join's output is in none).
            statement.execute("CREATE TABLE " + RESCORE + " AS SELECT company_number, name, sic_codes FROM " + (codeToScore
                    ? source + ".companies" : COMPANY_CHANGES + " WHERE change <> 'removed' ORDER BY company_number"));
            statement.execute(CompanyScoringJobConfiguration.scoresDdl(DELTA));
            Map<String, Long> companies = counts(statement, COMPANY_CHANGES);
            Map<String, Long> changedCodes = counts(statement, CODE_CHANGES);
            long rescored = changedCodes.getOrDefault("new", 0L) + changedCodes.getOrDefault("changed", 0L);
            long removedCodes = changedCodes.getOrDefault("removed", 0L);
            return new Plan(Mode.INCREMENTAL, String.format(Locale.ROOT,
                    "incremental: %,d new, %,d removed, %,d changed companies; %,d code%s changed (re-scored in full)%s",
                    companies.getOrDefault("new", 0L), companies.getOrDefault("removed", 0L),
                    companies.getOrDefault("changed", 0L), rescored, (rescored == 1) ? "" : "s",
                    (removedCodes > 0) ? String.format(Locale.ROOT, ", %,d removed", removedCodes) : ""));
        });
    }

    /**
     * A full run's last step: records what {@code rtic_scores} now holds the scores of. Run
     * again (after a kill before the step was marked complete), it records the same.
     */
    static void record(Connection target, String source, List<RticCode> codes, double threshold) throws SQLException {
        inTransaction(target, statement -> {
            statement.execute("CREATE OR REPLACE TABLE " + SCORED_COMPANIES + " AS SELECT " + KEY_HASH + " AS key_hash, "
                    + FINGERPRINT + " AS fingerprint FROM " + source + ".companies");
            statement.execute("DROP TABLE IF EXISTS " + SCORED_CODES);
            writeCodes(target, SCORED_CODES, codes, threshold);
            return null;
        });
    }

    /** What {@link #apply} did to {@code rtic_scores}: rows of changed and removed companies or codes out, new scores in. */
    record Applied(long deleted, long inserted) {

        String summary() {
            return String.format(Locale.ROOT, "applied to %s: %,d rows of changed and removed companies and codes"
                    + " deleted, %,d inserted", CompanyScoringJobConfiguration.TARGET_TABLE, this.deleted, this.inserted);
        }

    }

    /**
     * An incremental run's last step, in one transaction (see the class comment); nothing
     * when already applied (its work tables are gone).
     * @return what it did, or null when it was already applied
     */
    static Applied apply(Connection target) throws SQLException {
        if (!exists(target, DELTA)) {
            return null;
        }
        return inTransaction(target, statement -> {
            // A removed company is known by its key's hash only.
            String changed = KEY_HASH + " IN (SELECT key_hash FROM " + COMPANY_CHANGES + ")";
            // Without a changed code only changed companies were scored: every new row is kept,
            // and no row of rtic_scores needs its code looked up.
            boolean codesChanged = Statements.longValue(target, "SELECT count(*) FROM " + CODE_CHANGES) > 0;
            if (codesChanged) {
                changed += " OR rtic_code IN (SELECT rtic_code FROM " + CODE_CHANGES + ")";
            }
            long deleted = statement.executeUpdate("DELETE FROM " + CompanyScoringJobConfiguration.TARGET_TABLE
                    + " WHERE " + changed);
            long inserted = statement.executeUpdate("INSERT INTO " + CompanyScoringJobConfiguration.TARGET_TABLE
                    + " SELECT * FROM " + DELTA + (codesChanged ? " WHERE " + changed : ""));
            statement.execute("DELETE FROM " + SCORED_COMPANIES + " WHERE key_hash IN (SELECT key_hash FROM "
                    + COMPANY_CHANGES + ")");
            statement.execute("INSERT INTO " + SCORED_COMPANIES + " SELECT key_hash, fingerprint FROM "
                    + COMPANY_CHANGES + " WHERE change <> 'removed'");
            statement.execute("DROP TABLE " + SCORED_CODES);
            statement.execute("ALTER TABLE " + CODES_NOW + " RENAME TO " + SCORED_CODES);
            for (String table : WORK_TABLES) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
            return new Applied(deleted, inserted);
        });
    }

    /**
     * A code as scored: its keywords and SIC prefixes (not its label, which no score holds),
     * the threshold and the scorer's version, as the hex of their SHA-256.
     */
    static String fingerprint(RticCode code, double threshold) {
        StringBuilder text = new StringBuilder();
        for (Object field : List.of(code.code(), code.keywords(), code.sicPrefixes(), Double.toString(threshold),
                CompanyScorer.VERSION)) {
            // Each element length-prefixed: no two different definitions give the same text.
            for (Object element : (field instanceof List<?> list) ? list : List.of(field)) {
                String value = String.valueOf(element);
                text.append(value.length()).append(':').append(value);
            }
            text.append('|');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("This JVM has no SHA-256", ex);
        }
    }

    private static void writeCodes(Connection target, String table, List<RticCode> codes, double threshold)
            throws SQLException {
        try (Statement statement = target.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (rtic_code VARCHAR NOT NULL, fingerprint VARCHAR NOT NULL)");
        }
        try (PreparedStatement insert = target.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
            for (RticCode code : codes) {
                insert.setString(1, code.code());
                insert.setString(2, fingerprint(code, threshold));
                insert.executeUpdate();
            }
        }
    }

    private static String change(String now, String recorded) {
        return "CASE WHEN " + recorded + " IS NULL THEN 'new' WHEN " + now + " IS NULL THEN 'removed' ELSE 'changed' END"
                + " AS change";
    }

    private static Map<String, Long> counts(Statement statement, String changes) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (ResultSet rs = statement.executeQuery("SELECT change, count(*) FROM " + changes + " GROUP BY change")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private static boolean exists(Connection target, String table) throws SQLException {
        try (PreparedStatement statement = target.prepareStatement("SELECT count(*) FROM duckdb_tables() WHERE"
                + " database_name = current_database() AND schema_name = current_schema() AND table_name = ?")) {
            statement.setString(1, table);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    @FunctionalInterface
    private interface Work<T> {

        T run(Statement statement) throws SQLException;

    }

    /** {@code work} in one transaction of {@code target}: all of it or nothing. */
    private static <T> T inTransaction(Connection target, Work<T> work) throws SQLException {
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        try (Statement statement = target.createStatement()) {
            T result = work.run(statement);
            target.commit();
            return result;
        }
        catch (SQLException | RuntimeException ex) {
            target.rollback();
            throw ex;
        }
        finally {
            target.setAutoCommit(autoCommit);
        }
    }

}
