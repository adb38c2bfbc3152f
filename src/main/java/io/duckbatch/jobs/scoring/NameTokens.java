package io.duckbatch.jobs.scoring;

/**
 * How a company name is cut into tokens for keyword matching: maximal runs of letters and
 * digits (Unicode categories L, Nd, Nl, No: what the regex {@code [^\p{L}\p{N}]+} splits
 * on), compared with keywords lower-cased char by char. Shared by {@link RticScorer} (one
 * code) and {@link CompanyScorer} (every code at once) so both cut names alike.
 */
final class NameTokens {

    private NameTokens() {
    }

    /** The chars of the code point at {@code i} when it is a letter or a number, else 0. */
    static int tokenCharCount(String name, int i) {
        char c = name.charAt(i);
        if (c < 128) {
            return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? 1 : 0;
        }
        int codePoint = Character.isSurrogate(c) ? name.codePointAt(i) : c;
        int type = Character.getType(codePoint);
        boolean token = Character.isLetter(codePoint) || type == Character.DECIMAL_DIGIT_NUMBER
                || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
        return token ? Character.charCount(codePoint) : 0;
    }

    /** Where the next token starts at or after {@code from}: the name's length when none does. */
    static int tokenStart(String name, int from) {
        int start = from;
        while (start < name.length() && tokenCharCount(name, start) == 0) {
            start += Character.charCount(name.codePointAt(start));
        }
        return start;
    }

    /** The end (exclusive) of the token starting at {@code start}, which is a token char. */
    static int tokenEnd(String name, int start) {
        int length = name.length();
        int end = start;
        int count;
        while (end < length && (count = tokenCharCount(name, end)) > 0) {
            end += count;
        }
        return end;
    }

    /** Whether the name's chars from {@code start}, each lower-cased, equal the lower-case keyword. */
    static boolean equalsLowerCase(String name, int start, String lowerKeyword) {
        for (int i = 0; i < lowerKeyword.length(); i++) {
            if (Character.toLowerCase(name.charAt(start + i)) != lowerKeyword.charAt(i)) {
                return false;
            }
        }
        return true;
    }

}
