package io.duckbatch.bench;

import java.util.List;

import io.duckbatch.cli.Arguments;
import io.duckbatch.cli.Verb;
import io.duckbatch.config.DuckbatchProperties;
import io.duckbatch.demo.DemoDataGenerator;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

/**
 * {@code bench [--rows N] [--keyset-rows N]}: runs {@link ScoringBenchmark} in this process;
 * {@code bench refresh} its monthly refresh alone, {@code bench import} {@link ImportBenchmark}.
 * Each mode runs in an application context of its own, started from the same application
 * class as this one (found in the running context, so this package needs no import of it).
 */
@Component
class BenchVerb implements Verb {

    private final DuckbatchProperties properties;

    private final DemoDataGenerator demoDataGenerator;

    private final ApplicationContext context;

    BenchVerb(DuckbatchProperties properties, DemoDataGenerator demoDataGenerator, ApplicationContext context) {
        this.properties = properties;
        this.demoDataGenerator = demoDataGenerator;
        this.context = context;
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public int run(Arguments args) throws Exception {
        if (args.operands().equals(List.of("import"))) {
            new ImportBenchmark(this.properties.getDataDir().resolve("bench"), this.demoDataGenerator,
                    this.properties.storageVersionOfNewFiles(), System.out, applicationClass())
                .run(args.count("rows", 2_000_000), (int) args.count("rounds", 3));
            return 0;
        }
        boolean refresh = args.operands().equals(List.of("refresh"));
        if (!refresh && !args.operands().isEmpty()) {
            throw new Arguments.UsageException("bench takes no operand, 'import' or 'refresh', was " + args.operands());
        }
        long rows = args.count("rows", 2_000_000);
        if (rows > DemoDataGenerator.MAX_ROWS) {
            throw new Arguments.UsageException("--rows takes at most " + DemoDataGenerator.MAX_ROWS + ", was " + rows);
        }
        ScoringBenchmark benchmark = new ScoringBenchmark(this.properties.getDataDir().resolve("bench"),
                this.demoDataGenerator, this.properties.storageVersionOfNewFiles(), this.properties.getConcurrency(),
                this.properties.getPageSize(), System.out, applicationClass());
        try {
            if (refresh) {
                benchmark.refresh(rows, (int) args.count("rounds", 3));
            }
            else {
                benchmark.run(rows, args.count("keyset-rows", ScoringBenchmark.KEYSET_ROWS));
            }
        }
        finally {
            benchmark.cleanUp();
        }
        return 0;
    }

    private Class<?> applicationClass() {
        return this.context.getBeansWithAnnotation(SpringBootConfiguration.class)
            .values()
            .stream()
            .map(ClassUtils::getUserClass)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("bench runs inside a Spring Boot application"));
    }

}
