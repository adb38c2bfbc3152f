package io.duckbatch.cli;

import java.nio.file.Path;
import java.util.List;

import io.duckbatch.config.DuckbatchProperties;
import io.duckbatch.demo.DemoDataGenerator;

import org.springframework.stereotype.Component;

/**
 * {@code demo companies-house <file> [--rows N]} and {@code demo rtic-codes <file>}: writes
 * the demo data as the files users bring, so that the import and a codes file can be tried
 * from an empty folder.
 */
@Component
class DemoVerb implements Verb {

    private final DuckbatchProperties properties;

    private final DemoDataGenerator generator;

    DemoVerb(DuckbatchProperties properties, DemoDataGenerator generator) {
        this.properties = properties;
        this.generator = generator;
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public int run(Arguments args) {
        List<String> operands = args.operands();
        if (operands.size() != 2) {
            throw new Arguments.UsageException("demo takes what to write and a file: demo companies-house <file.zip|.csv|.csv.gz>"
                    + " [--rows N] or demo rtic-codes <file.csv>");
        }
        Path file = Path.of(operands.get(1));
        switch (operands.get(0)) {
            case "companies-house" -> {
                long rows = args.count("rows", this.properties.getDemo().getRows());
                this.generator.writeCompaniesHouseFile(file, rows);
                System.out.printf("Wrote %,d demo companies in the Companies House bulk format to %s%n", rows, file);
            }
            case "rtic-codes" -> {
                this.generator.writeCodesFile(file);
                System.out.println("Wrote the demo's RTIC codes to " + file);
            }
            default -> throw new Arguments.UsageException("demo writes companies-house or rtic-codes, was '" + operands.get(0) + "'");
        }
        return 0;
    }

}
