package io.duckbatch.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of {@code /actuator/prometheus}, parsed from the text exposition format. */
public final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)(?: \\d+)?");

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public record Sample(String name, Map<String, String> labels, double value) {

        public String label(String key) {
            return this.labels.get(key);
        }

    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("Not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
        return new PrometheusText(samples);
    }

    public List<Sample> samples(String name) {
        return this.samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    public List<Sample> samples(String name, Predicate<Sample> filter) {
        return samples(name).stream().filter(filter).toList();
    }

    public boolean has(String name) {
        return !samples(name).isEmpty();
    }

    /** The sum of the values of the samples named {@code name} that pass {@code filter}. */
    public double sum(String name, Predicate<Sample> filter) {
        return samples(name, filter).stream().mapToDouble(Sample::value).sum();
    }

    /** For each sample name, every distinct set of label keys it was exposed with. */
    public Map<String, Set<Set<String>>> labelKeySets() {
        Map<String, Set<Set<String>>> keySets = new TreeMap<>();
        for (Sample sample : this.samples) {
            keySets.computeIfAbsent(sample.name(), name -> new HashSet<>())
                .add(new TreeSet<>(sample.labels().keySet()));
        }
        return keySets;
    }

}
