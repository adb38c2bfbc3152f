package io.duckbatch.core.load;

import java.util.Set;

/**
 * The heap a DuckDB value takes once read into Java, as a SQL expression DuckDB computes
 * value by value: a dataset's size in Java is then sampled in the database, not loaded to
 * be weighed. It follows what the JDBC driver hands out:
 * <ul>
 * <li>a VARCHAR is a String and its byte[]: one byte per char when every char is Latin-1
 * (compact strings), two otherwise;</li>
 * <li>a LIST is a list (an ArrayList and its Object[]) of its elements, each by its own
 * type;</li>
 * <li>a number, date, time or UUID the driver hands out as one small object (Integer, Long,
 * Double, LocalDate, Timestamp, UUID) is that object;</li>
 * <li>any other value counts as its text in a String: DECIMAL, HUGEINT and UBIGINT come as
 * a BigDecimal or BigInteger (several objects), a timestamp with time zone as an
 * OffsetDateTime (four), a STRUCT or MAP as its parts, each an object of its own.</li>
 * </ul>
 * NULL takes nothing besides the reference to it, which its holder counts.
 */
final class HeapBytesSql {

    /** DuckDB types the driver hands out as one small object of a fixed size. */
    private static final Set<String> FIXED_SIZE = Set.of("BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "FLOAT", "DOUBLE", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP_S",
            "TIMESTAMP_MS", "TIMESTAMP_NS", "UUID");

    /** Such an object's fields: a long, a double, a LocalDate's year, month and day. */
    private static final int FIXED_SIZE_PAYLOAD = 8;

    /** String's fields besides its byte[]: int hash, byte coder, boolean hashIsZero. */
    private static final int STRING_FIELDS = 6;

    /** ArrayList's fields besides its Object[]: int size, int modCount. */
    private static final int LIST_FIELDS = 8;

    /** Every char of a text up to U+00FF: Java keeps it in one byte per char. */
    private static final String LATIN_1 = "'[\\x{0}-\\x{ff}]*'";

    private final JvmLayout layout;

    HeapBytesSql(JvmLayout layout) {
        this.layout = layout;
    }

    /**
     * @param value a column name
     * @param type its DuckDB type as {@code DESCRIBE} spells it, e.g. {@code VARCHAR[]}
     */
    String of(String value, String type) {
        return of(value, type, 1);
    }

    /** @param depth how deep in lists {@code value} is: names the lambda parameter of each level */
    private String of(String value, String type, int depth) {
        String bytes;
        if (type.endsWith("[]")) {
            bytes = list(value, type.substring(0, type.length() - 2), depth);
        }
        else if (FIXED_SIZE.contains(type)) {
            bytes = Integer.toString(this.layout.object(0, FIXED_SIZE_PAYLOAD));
        }
        else {
            bytes = string(type.equals("VARCHAR") ? value : "CAST(" + value + " AS VARCHAR)");
        }
        return "(CASE WHEN " + value + " IS NULL THEN 0 ELSE " + bytes + " END)";
    }

    private String list(String value, String elementType, int depth) {
        String element = "e" + depth;
        return this.layout.object(1, LIST_FIELDS) + " + "
                + aligned(this.layout.arrayHeader() + " + " + this.layout.referenceBytes() + " * len(" + value + ")")
                + " + coalesce(list_sum(list_transform(" + value + ", lambda " + element + ": "
                + of(element, elementType, depth + 1) + ")), 0)";
    }

    private String string(String text) {
        String chars = "length(" + text + ")";
        String bytes = "CASE WHEN regexp_full_match(" + text + ", " + LATIN_1 + ") THEN " + chars + " ELSE 2 * " + chars
                + " END";
        return this.layout.object(1, STRING_FIELDS) + " + " + aligned(this.layout.arrayHeader() + " + " + bytes);
    }

    private static String aligned(String bytes) {
        return "((" + bytes + ") + " + (JvmLayout.ALIGNMENT - 1) + ") // " + JvmLayout.ALIGNMENT + " * "
                + JvmLayout.ALIGNMENT;
    }

}
