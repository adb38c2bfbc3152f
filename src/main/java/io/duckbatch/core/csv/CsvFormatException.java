package io.duckbatch.core.csv;

/**
 * An input that is not what the import reads: a missing file, a file of another format, an
 * empty file, a zip without a CSV inside. The message names the file and what is wrong, and
 * is all the user sees; nothing has been written when it is thrown.
 */
public class CsvFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public CsvFormatException(String message) {
        super(message);
    }

}
