package io.duckbatch.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages of {@code io.duckbatch} as their import lines in {@code src/main/java} say
 * they depend on each other (plain Java: no ArchUnit on the classpath): application ->
 * jobs -> core. The test fails on any import cycle, on a job importing the application or
 * another job, on a core package importing anything outside core, and on a core package
 * importing one above it in {@link #CORE_LAYERS}.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java");

    private static final String ROOT = "io.duckbatch.";

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+io\\.duckbatch\\.?([\\w.]*)\\s*;", Pattern.MULTILINE);

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?io\\.duckbatch\\.([\\w.*]+)\\s*;",
            Pattern.MULTILINE);

    /**
     * What each core package may import within core; a package not listed is not held to a
     * list, only to having no cycle and importing nothing outside core.
     */
    private static final Map<String, Set<String>> CORE_LAYERS = Map.of(
            "core.duckdb", Set.of(),
            "core.keyset", Set.of("core.duckdb"),
            "core.resume", Set.of("core.duckdb", "core.keyset"),
            "core.read", Set.of("core.keyset", "core.resume", "core.timing"),
            "core.load", Set.of("core.keyset", "core.duckdb", "core.timing"),
            "core.sql", Set.of("core.keyset", "core.resume", "core.timing", "core.duckdb"),
            "core.csv", Set.of("core.duckdb", "core.timing"));

    /** Package (relative to {@code io.duckbatch}, {@code ""} for the root) to the packages it imports. */
    private static final Map<String, Set<String>> imports = new TreeMap<>();

    /** "from -> to" to a file that makes that dependency, for messages. */
    private static final Map<String, String> evidence = new HashMap<>();

    @BeforeAll
    static void readImports() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES.resolve("io/duckbatch"))) {
            files.filter(file -> file.toString().endsWith(".java")).sorted().forEach(PackageDependenciesTest::read);
        }
    }

    private static void read(Path file) {
        String source;
        try {
            source = Files.readString(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Matcher declared = PACKAGE.matcher(source);
        if (!declared.find()) {
            return;
        }
        String from = declared.group(1);
        Set<String> targets = imports.computeIfAbsent(from, p -> new TreeSet<>());
        Matcher imported = IMPORT.matcher(source);
        while (imported.find()) {
            String to = packageOf(imported.group(1));
            if (!to.equals(from)) {
                targets.add(to);
                evidence.putIfAbsent(from + " -> " + to, SOURCES.relativize(file) + " imports " + ROOT + imported.group(1));
            }
        }
    }

    /** The package part of an imported name: the segments before the first type (capitalised) or {@code *}. */
    static String packageOf(String imported) {
        List<String> segments = new ArrayList<>();
        for (String segment : imported.split("\\.")) {
            if (segment.equals("*") || Character.isUpperCase(segment.charAt(0))) {
                break;
            }
            segments.add(segment);
        }
        return String.join(".", segments);
    }

    @Test
    void noPackageImportsOneThatImportsItBack() {
        assertThat(cycles(imports).stream().map(PackageDependenciesTest::describe)).as("package import cycles").isEmpty();
    }

    /** application -> jobs -> core: a job builds on core and the names jobs share, never on the application. */
    @Test
    void jobsImportOnlyCoreAndWhatJobsShare() {
        assertThat(edges().filter(edge -> edge[0].startsWith("jobs.") && !isCore(edge[1]) && !edge[1].startsWith("jobs"))
            .map(PackageDependenciesTest::evidence)).as("jobs importing the application (cli, config, bench, demo)").isEmpty();
        assertThat(edges().filter(edge -> edge[0].startsWith("jobs.") && edge[1].startsWith("jobs.") && !edge[1].equals(edge[0]))
            .map(PackageDependenciesTest::evidence)).as("a job importing another job's package").isEmpty();
    }

    @Test
    void corePackagesImportNothingOutsideCore() {
        assertThat(edges().filter(edge -> isCore(edge[0]) && !isCore(edge[1])).map(PackageDependenciesTest::evidence))
            .as("core importing the application (jobs, cli, config, bench, demo, ...)").isEmpty();
    }

    @Test
    void corePackagesImportOnlyTheLayersBelowThem() {
        assertThat(imports).containsKeys(CORE_LAYERS.keySet().toArray(String[]::new));
        assertThat(edges().filter(edge -> CORE_LAYERS.containsKey(edge[0]) && isCore(edge[1])
                && !CORE_LAYERS.get(edge[0]).contains(edge[1])).map(PackageDependenciesTest::evidence))
            .as("imports against the core layering %s", CORE_LAYERS).isEmpty();
    }

    /** The check itself: a cycle is found and named whole, however the packages are spelled. */
    @Test
    void findsAndNamesCycles() {
        Map<String, Set<String>> graph = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c", "d"), "c", Set.of("a"),
                "d", Set.of(), "e", Set.of("e.x"), "e.x", Set.of("e")));
        assertThat(cycles(graph)).containsExactly(List.of("a", "b", "c", "a"), List.of("e", "e.x", "e"));
        Map<String, Set<String>> twoLoops = new TreeMap<>(Map.of("x", Set.of("y"), "y", Set.of("x", "z"), "z", Set.of("y")));
        assertThat(cycles(twoLoops)).containsExactly(List.of("x", "y", "x"), List.of("y", "z", "y"));
        assertThat(packageOf("core.read.KeysetItemReader")).isEqualTo("core.read");
        assertThat(packageOf("core.read.KeysetItemReader.Builder")).isEqualTo("core.read");
        assertThat(packageOf("core.keyset.*")).isEqualTo("core.keyset");
        assertThat(packageOf("DuckbatchApplication")).isEmpty();
    }

    private static boolean isCore(String pkg) {
        return pkg.equals("core") || pkg.startsWith("core.");
    }

    private static Stream<String[]> edges() {
        return imports.entrySet().stream().flatMap(e -> e.getValue().stream().map(to -> new String[] { e.getKey(), to }));
    }

    private static String evidence(String[] edge) {
        return display(edge[0]) + " -> " + display(edge[1]) + " (" + evidence.get(edge[0] + " -> " + edge[1]) + ")";
    }

    private static String describe(List<String> cycle) {
        List<String> steps = new ArrayList<>();
        for (int i = 0; i + 1 < cycle.size(); i++) {
            steps.add(evidence(new String[] { cycle.get(i), cycle.get(i + 1) }));
        }
        return String.join(" -> ", cycle.stream().map(PackageDependenciesTest::display).toList()) + ": "
                + String.join("; ", steps);
    }

    /** A package as messages name it: relative to {@code io.duckbatch}, which is itself named in full. */
    private static String display(String pkg) {
        return pkg.isEmpty() ? "io.duckbatch" : pkg;
    }

    /**
     * The cycles of the strongly connected components of more than one package (Tarjan): for
     * each package of such a component, the shortest way from it back to itself, written from
     * the cycle's first package in name order, e.g. {@code [a, b, a]}; each cycle once.
     */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Set<List<String>> cycles = new LinkedHashSet<>();
        for (Set<String> component : new Components(graph).components) {
            if (component.size() > 1) {
                for (String start : component) {
                    cycles.add(fromFirst(shortestCycle(graph, component, start)));
                }
            }
        }
        return new ArrayList<>(cycles);
    }

    private static List<String> shortestCycle(Map<String, Set<String>> graph, Set<String> component, String start) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (String next : graph.getOrDefault(at, Set.of())) {
                if (next.equals(start)) {
                    List<String> cycle = new ArrayList<>();
                    for (String step = at; step != null; step = cameFrom.get(step)) {
                        cycle.add(0, step);
                    }
                    return cycle;
                }
                if (component.contains(next) && !cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        throw new IllegalStateException("No cycle through " + start + " in component " + component);
    }

    /** A cycle's packages (each once) rotated to start at the first in name order, closed by it. */
    private static List<String> fromFirst(List<String> packages) {
        int first = packages.indexOf(packages.stream().sorted().findFirst().orElseThrow());
        List<String> cycle = new ArrayList<>(packages.subList(first, packages.size()));
        cycle.addAll(packages.subList(0, first));
        cycle.add(cycle.get(0));
        return cycle;
    }

    /** Tarjan's strongly connected components, each sorted, in order of their first package. */
    private static final class Components {

        private final Map<String, Set<String>> graph;

        private final Map<String, Integer> index = new HashMap<>();

        private final Map<String, Integer> lowLink = new HashMap<>();

        private final Deque<String> stack = new ArrayDeque<>();

        private final Set<String> onStack = new HashSet<>();

        private final List<Set<String>> components = new ArrayList<>();

        Components(Map<String, Set<String>> graph) {
            this.graph = graph;
            new TreeSet<>(graph.keySet()).forEach(node -> {
                if (!this.index.containsKey(node)) {
                    visit(node);
                }
            });
            this.components.sort((a, b) -> a.iterator().next().compareTo(b.iterator().next()));
        }

        private void visit(String node) {
            this.index.put(node, this.index.size());
            this.lowLink.put(node, this.index.get(node));
            this.stack.push(node);
            this.onStack.add(node);
            for (String next : this.graph.getOrDefault(node, Set.of())) {
                if (!this.index.containsKey(next)) {
                    visit(next);
                    this.lowLink.put(node, Math.min(this.lowLink.get(node), this.lowLink.get(next)));
                }
                else if (this.onStack.contains(next)) {
                    this.lowLink.put(node, Math.min(this.lowLink.get(node), this.index.get(next)));
                }
            }
            if (this.lowLink.get(node).equals(this.index.get(node))) {
                Set<String> component = new TreeSet<>();
                String member;
                do {
                    member = this.stack.pop();
                    this.onStack.remove(member);
                    component.add(member);
                }
                while (!member.equals(node));
                this.components.add(component);
            }
        }

    }

}
