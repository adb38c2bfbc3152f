package io.duckbatch.core.csv;

import java.util.Locale;

/**
 * How many rejected lines an import accepts before it fails and replaces nothing: a count
 * ({@code 1000}) or a share of the lines read ({@code 0.5%}).
 */
public final class MaxRejects {

    private final long count;

    private final double percent;

    private final String text;

    private final String setting;

    private MaxRejects(long count, double percent, String text, String setting) {
        this.count = count;
        this.percent = percent;
        this.text = text;
        this.setting = setting;
    }

    /**
     * @param setting the setting's name, for the message
     * @throws IllegalArgumentException naming the setting and the accepted forms
     */
    public static MaxRejects parse(String setting, String text) {
        String value = (text == null) ? "" : text.trim();
        try {
            if (value.endsWith("%")) {
                double percent = Double.parseDouble(value.substring(0, value.length() - 1).trim());
                if (percent >= 0 && percent <= 100) {
                    return new MaxRejects(-1, percent, value, setting);
                }
            }
            else {
                long count = Long.parseLong(value);
                if (count >= 0) {
                    return new MaxRejects(count, -1, value, setting);
                }
            }
        }
        catch (NumberFormatException ex) {
            // refused below with the accepted forms
        }
        throw new IllegalArgumentException(setting + " must be a count of lines (1000) or a percentage of the lines read"
                + " between 0% and 100% (0.5%), was '" + text + "'");
    }

    /** Whether {@code rejected} lines out of {@code lines} read are more than this allows. */
    public boolean exceededBy(long rejected, long lines) {
        if (this.count >= 0) {
            return rejected > this.count;
        }
        return lines > 0 && rejected * 100.0 / lines > this.percent;
    }

    /** The limit in words, for the failure message: {@code "1000 lines"}, {@code "0.5% of the lines"}. */
    public String describe() {
        return (this.count >= 0) ? String.format(Locale.ROOT, "%,d lines", this.count) : this.text + " of the lines";
    }

    /** The setting this limit comes from, for messages that say how to change it. */
    public String setting() {
        return this.setting;
    }

    @Override
    public String toString() {
        return this.text;
    }

}
