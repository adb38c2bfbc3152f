package io.duckbatch.jobs.scoring;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A codes file ({@code duckbatch.scoring.codes}): the RTIC codes companyScoring scores
 * against instead of the source's {@code rtic_codes}, as UTF-8 CSV with the header
 * {@code rtic_code,label,keywords,sic_prefixes}; keywords and SIC prefixes are separated by
 * {@code ;} within their field:
 *
 * <pre>
 * rtic_code,label,keywords,sic_prefixes
 * R01,Software,software;data;cloud,62;631
 * R02,"Bakeries, cakes",bakery;cake,
 * </pre>
 *
 * Fields may be quoted ({@code "a, b"}, {@code ""} for a quote), lines may end in CRLF, and a
 * byte order mark is skipped; blanks around a code, keyword or prefix are dropped, and so are
 * empty keywords and prefixes. A file is read once, as bytes, so that the codes scored and
 * the SHA-256 recorded with the run are of the same content. Refused, naming the file and
 * the line: a header other than the one above, a line without four fields, a missing or
 * repeated code, a code with neither keywords nor SIC prefixes (it could never score), a
 * prefix that is not digits (SIC codes are).
 *
 * @param path the file, absolute
 * @param sha256 of its bytes, in hex
 * @param codes in code order, as the source's table is read
 */
record RticCodesFile(Path path, String sha256, List<RticCode> codes) {

    static final String HEADER = String.join(",", RticCodes.COLUMNS);

    private static final char BOM = '\uFEFF';

    /**
     * Reads and checks a codes file.
     * @param setting the setting that names it, for the message when it is missing
     * @throws IllegalArgumentException one line naming the file (and line) and the fix
     */
    static RticCodesFile read(Path file, String setting) {
        Path path = file.toAbsolutePath().normalize();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        }
        catch (NoSuchFileException ex) {
            throw new IllegalArgumentException(setting + " names codes file " + path
                    + ", which does not exist: create it (header " + HEADER + ") or correct the path");
        }
        catch (IOException ex) {
            throw new IllegalArgumentException("Cannot read codes file " + path + " (" + setting + "): " + ex.getMessage(), ex);
        }
        return new RticCodesFile(path, sha256(bytes), new Parser(path, text(path, bytes)).codes());
    }

    /** The SHA-256 of a file's bytes, {@code null} when it cannot be read. */
    static String sha256Of(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        }
        catch (IOException ex) {
            return null;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("Every Java runtime has SHA-256", ex);
        }
    }

    private static String text(Path path, byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
            return (!text.isEmpty() && text.charAt(0) == BOM) ? text.substring(1) : text;
        }
        catch (CharacterCodingException ex) {
            throw new IllegalArgumentException("Codes file " + path + " is not UTF-8 text: save it as UTF-8 CSV");
        }
    }

    /** CSV records with the line each starts on (a quoted field may span lines). */
    private static final class Parser {

        private final Path path;

        private final String text;

        private int at;

        private int line = 1;

        Parser(Path path, String text) {
            this.path = path;
            this.text = text;
        }

        List<RticCode> codes() {
            if (this.at >= this.text.length()) {
                throw problem(1, "is empty; its first line is the header " + HEADER);
            }
            List<String> header = record().stream().map(String::strip).toList();
            if (!header.equals(RticCodes.COLUMNS)) {
                throw problem(1, "has the header " + String.join(",", header) + "; the first line must be " + HEADER);
            }
            List<RticCode> codes = new ArrayList<>();
            Map<String, Integer> lines = new HashMap<>();
            while (this.at < this.text.length()) {
                int start = this.line;
                List<String> fields = record();
                if (fields.size() == 1 && fields.get(0).isBlank()) {
                    continue;
                }
                if (fields.size() != RticCodes.COLUMNS.size()) {
                    throw problem(start, "has " + fields.size() + " field(s), not " + RticCodes.COLUMNS.size() + " ("
                            + HEADER + "): quote a field holding a comma");
                }
                String code = fields.get(0).strip();
                if (code.isEmpty()) {
                    throw problem(start, "has no rtic_code: give every line a code");
                }
                Integer first = lines.putIfAbsent(code, start);
                if (first != null) {
                    throw problem(start, "repeats code '" + code + "' of line " + first + ": give every code one line");
                }
                List<String> keywords = list(fields.get(2));
                List<String> prefixes = list(fields.get(3));
                if (keywords.isEmpty() && prefixes.isEmpty()) {
                    throw problem(start, "gives code '" + code + "' neither keywords nor sic_prefixes, so it could never"
                            + " score: give it one of them, separated by ';'");
                }
                for (String prefix : prefixes) {
                    if (!prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        throw problem(start, "gives code '" + code + "' the SIC prefix '" + prefix
                                + "', which is not digits: SIC prefixes are digits such as 62 or 6201, separated by ';'");
                    }
                }
                codes.add(new RticCode(code, fields.get(1).strip(), keywords, prefixes));
            }
            if (codes.isEmpty()) {
                throw problem(1, "is the header alone: add a line per code under it");
            }
            codes.sort(Comparator.comparing(RticCode::code));
            return codes;
        }

        /** The fields of the record at {@link #at}, which is left after its line end. */
        private List<String> record() {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            int start = this.line;
            boolean quoted = false;
            while (this.at < this.text.length()) {
                char c = this.text.charAt(this.at++);
                if (quoted) {
                    if (c != '"') {
                        this.line += (c == '\n') ? 1 : 0;
                        field.append(c);
                    }
                    else if (this.at < this.text.length() && this.text.charAt(this.at) == '"') {
                        field.append('"');
                        this.at++;
                    }
                    else {
                        quoted = false;
                    }
                }
                else if (c == '"' && field.toString().isBlank()) {
                    quoted = true;
                    field.setLength(0);
                }
                else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                }
                else if (c == '\n' || c == '\r') {
                    if (c == '\r' && this.at < this.text.length() && this.text.charAt(this.at) == '\n') {
                        this.at++;
                    }
                    this.line++;
                    break;
                }
                else {
                    field.append(c);
                }
            }
            if (quoted) {
                throw problem(start, "opens a quoted field that is never closed: end it with \"");
            }
            fields.add(field.toString());
            return fields;
        }

        /** A field of {@code ;}-separated values, stripped, empty ones dropped. */
        private static List<String> list(String field) {
            return Arrays.stream(field.split(";")).map(String::strip).filter(value -> !value.isEmpty()).toList();
        }

        private IllegalArgumentException problem(int line, String what) {
            return new IllegalArgumentException("Codes file " + this.path + " line " + line + " " + what);
        }

    }

}
