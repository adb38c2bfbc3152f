package io.duckbatch.core.duckdb;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The storage format a new DuckDB file is written in, named as DuckDB names it (its
 * {@code storage_compatibility_version} setting): the oldest DuckDB release that opens the
 * file. DuckDB 2.0 writes format 69 unless told otherwise, which no DuckDB 1.x client reads
 * ("Trying to read a database file with version number 69, we can only read 64-68"); each
 * value here is one file format (the number in the file's header), readable by that release
 * and every later one.
 *
 * <p>It only decides how a file is created: DuckDB reads an existing file's format from its
 * header and keeps writing that format, whatever this says (tested both ways in
 * {@code DuckDbDataSourceTest}), so opening a user's file never rewrites it.
 */
public enum StorageVersion {

    /** Format 64: every DuckDB from 1.0 on (the format of 0.10 too). */
    V1_0_0("v1.0.0"),

    /** Format 65: DuckDB 1.2 and later. */
    V1_2_0("v1.2.0"),

    /** Format 66: DuckDB 1.3 and later. */
    V1_3_0("v1.3.0"),

    /** Format 67: DuckDB 1.4 and later. */
    V1_4_0("v1.4.0"),

    /** Format 68: DuckDB 1.5 and later. */
    V1_5_0("v1.5.0"),

    /** Format 69: DuckDB 2.0 and later. */
    V2_0_0("v2.0.0"),

    /** The newest format the bundled driver writes (v2.0.0 with driver 2.0): DuckDB's own default. */
    LATEST("latest");

    /**
     * The oldest format DuckDB 2.0 still writes (it labels files made for v0.10 "v1.0.0+" too)
     * and one that holds every type duckbatch stores (VARCHAR, DOUBLE, DATE, BOOLEAN, LIST,
     * STRUCT); every 1.x client opens it.
     */
    public static final StorageVersion DEFAULT = V1_0_0;

    /** DuckDB's setting, given to the driver as a connection property when a database is opened. */
    static final String SETTING = "storage_compatibility_version";

    private final String duckdbName;

    StorageVersion(String duckdbName) {
        this.duckdbName = duckdbName;
    }

    /** As DuckDB spells it: {@code v1.0.0}, ..., {@code latest}. */
    public String duckdbName() {
        return this.duckdbName;
    }

    /** The version DuckDB calls {@code name} (case and surrounding blanks ignored), if it is one of these. */
    public static Optional<StorageVersion> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(version -> version.duckdbName.equals(wanted)).findFirst();
    }

    /** Every valid name, oldest first. */
    public static List<String> names() {
        return Arrays.stream(values()).map(StorageVersion::duckdbName).toList();
    }

    /** Sets DuckDB's setting in the properties a database is opened with. */
    void applyTo(Properties connectionProperties) {
        connectionProperties.setProperty(SETTING, this.duckdbName);
    }

    @Override
    public String toString() {
        return this.duckdbName;
    }

}
