package io.duckbatch.jobs.importing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Lines of Companies House's bulk file, written here as the real one is: its header line
 * (unquoted, with the leading spaces of the real file), every value quoted, quotes doubled.
 */
final class CompaniesHouseLines {

    /** The header of BasicCompanyData-2026-09-01-part7_7.csv, as published. */
    static final String HEADER = "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1,"
            + " RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,RegAddress.PostCode,"
            + "CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,IncorporationDate,Accounts.AccountRefDay,"
            + "Accounts.AccountRefMonth,Accounts.NextDueDate,Accounts.LastMadeUpDate,Accounts.AccountCategory,"
            + "Returns.NextDueDate,Returns.LastMadeUpDate,Mortgages.NumMortCharges,Mortgages.NumMortOutstanding,"
            + "Mortgages.NumMortPartSatisfied,Mortgages.NumMortSatisfied,SICCode.SicText_1,SICCode.SicText_2,"
            + "SICCode.SicText_3,SICCode.SicText_4,LimitedPartnerships.NumGenPartners,LimitedPartnerships.NumLimPartners,"
            + "URI,PreviousName_1.CONDATE, PreviousName_1.CompanyName, PreviousName_2.CONDATE, PreviousName_2.CompanyName,"
            + "PreviousName_3.CONDATE, PreviousName_3.CompanyName,PreviousName_4.CONDATE, PreviousName_4.CompanyName,"
            + "PreviousName_5.CONDATE, PreviousName_5.CompanyName,PreviousName_6.CONDATE, PreviousName_6.CompanyName,"
            + "PreviousName_7.CONDATE, PreviousName_7.CompanyName,PreviousName_8.CONDATE, PreviousName_8.CompanyName,"
            + "PreviousName_9.CONDATE, PreviousName_9.CompanyName,PreviousName_10.CONDATE, PreviousName_10.CompanyName,"
            + "ConfStmtNextDueDate, ConfStmtLastMadeUpDate";

    static final List<String> COLUMNS = Arrays.stream(HEADER.split(",")).map(String::trim).toList();

    private CompaniesHouseLines() {
    }

    /** A line: the given columns' values (by trimmed header name), every other column empty. */
    static String line(String number, String name, String... columnsAndValues) {
        Map<String, String> values = new HashMap<>();
        values.put("CompanyNumber", number);
        values.put("CompanyName", name);
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            if (!COLUMNS.contains(columnsAndValues[i])) {
                throw new IllegalArgumentException("no column " + columnsAndValues[i]);
            }
            values.put(columnsAndValues[i], columnsAndValues[i + 1]);
        }
        List<String> quoted = new ArrayList<>();
        for (String column : COLUMNS) {
            quoted.add('"' + values.getOrDefault(column, "").replace("\"", "\"\"") + '"');
        }
        return String.join(",", quoted);
    }

    /** The header and the lines, each ended by {@code lineEnd}, as UTF-8 (a line may carry other bytes: see {@link #bytes}). */
    static byte[] file(String lineEnd, List<?> lines) {
        List<byte[]> parts = new ArrayList<>();
        parts.add((HEADER + lineEnd).getBytes(StandardCharsets.UTF_8));
        for (Object line : lines) {
            byte[] bytes = (line instanceof byte[] raw) ? raw : line.toString().getBytes(StandardCharsets.UTF_8);
            parts.add(bytes);
            parts.add(lineEnd.getBytes(StandardCharsets.UTF_8));
        }
        int size = parts.stream().mapToInt(part -> part.length).sum();
        byte[] file = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, file, at, part.length);
            at += part.length;
        }
        return file;
    }

    /** A line with bytes that are not UTF-8 in the name. */
    static byte[] bytes(String number, byte... nameBytes) {
        String line = line(number, "@");
        int at = line.indexOf('@');
        byte[] head = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] tail = line.substring(at + 1).getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + nameBytes.length + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(nameBytes, 0, bytes, head.length, nameBytes.length);
        System.arraycopy(tail, 0, bytes, head.length + nameBytes.length, tail.length);
        return bytes;
    }

    static Path zip(Path file, String entry, byte[] content) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new ZipEntry(entry));
            out.write(content);
            out.closeEntry();
        }
        return file;
    }

    static Path gzip(Path file, byte[] content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
        return file;
    }

}
