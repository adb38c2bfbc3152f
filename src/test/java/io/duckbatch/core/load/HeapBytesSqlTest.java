package io.duckbatch.core.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Sizes on the usual 64-bit JVM under 32 GB of heap: 4-byte references, 12-byte headers. */
class HeapBytesSqlTest {

    private static final HeapBytesSql COMPRESSED = new HeapBytesSql(new JvmLayout(4, 12));

    /** A String is 24 bytes; its byte[] a 16-byte header and the chars, rounded up to 8. */
    @Test
    void aStringTakesOneByteACharWhenItIsLatin1AndTwoOtherwise() throws Exception {
        assertThat(bytes("'abc'", "VARCHAR")).isEqualTo(24 + 24);
        assertThat(bytes("'héllo wörld'", "VARCHAR")).as("Latin-1 beyond ASCII").isEqualTo(24 + 32);
        assertThat(bytes("'Ωμέγα wörld'", "VARCHAR")).as("11 chars, 22 bytes").isEqualTo(24 + 40);
        assertThat(bytes("''", "VARCHAR")).isEqualTo(24 + 16);
    }

    @Test
    void nullTakesNothing() throws Exception {
        assertThat(bytes("NULL::VARCHAR", "VARCHAR")).isZero();
        assertThat(bytes("NULL::VARCHAR[]", "VARCHAR[]")).isZero();
        assertThat(bytes("NULL::DATE", "DATE")).isZero();
    }

    /** An ArrayList is 24 bytes, its Object[] 16 and 4 per element; then the elements. */
    @Test
    void aListTakesAListAnArrayAndItsElements() throws Exception {
        assertThat(bytes("['68320', NULL]", "VARCHAR[]")).isEqualTo(24 + 24 + (24 + 24));
        assertThat(bytes("[]::VARCHAR[]", "VARCHAR[]")).isEqualTo(24 + 16);
        assertThat(bytes("[['a'], ['b', 'c']]", "VARCHAR[][]"))
            .isEqualTo(24 + 24 + (24 + 24 + 48) + (24 + 24 + 2 * 48));
    }

    @Test
    void numbersAndDatesAreOneSmallObjectOtherValuesTheirText() throws Exception {
        assertThat(bytes("42::BIGINT", "BIGINT")).isEqualTo(24);
        assertThat(bytes("DATE '2024-07-30'", "DATE")).isEqualTo(24);
        assertThat(bytes("123.45::DECIMAL(5,2)", "DECIMAL(5,2)")).as("'123.45'").isEqualTo(24 + 24);
        assertThat(bytes("{'town': 'Belfast'}", "STRUCT(town VARCHAR)")).as("{'town': Belfast}").isEqualTo(24 + 40);
    }

    private static long bytes(String literal, String type) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT " + COMPRESSED.of("v", type) + " FROM (SELECT " + literal + " AS v)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

}
