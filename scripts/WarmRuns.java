/**
 * Runs companyScoring three times in one JVM (each into a fresh data folder), to tell the
 * JIT's share of a cold run's job time from the job's own (docs/benchmarks.md):
 *
 * <pre>
 * java -Djarmode=tools -jar target/duckbatch.jar extract --destination /tmp/duckbatch-ext
 * java -cp "/tmp/duckbatch-ext/duckbatch.jar:/tmp/duckbatch-ext/lib/*" scripts/WarmRuns.java SOURCE chunk|udf
 * </pre>
 */
public class WarmRuns {

    public static void main(String[] args) throws Exception {
        java.nio.file.Path work = java.nio.file.Files.createTempDirectory("duckbatch-warm-runs");
        for (int run = 1; run <= 3; run++) {
            java.nio.file.Path dir = work.resolve("run" + run);
            io.duckbatch.DuckbatchApplication.run("--management.server.port=-1", "--duckbatch.data-dir=" + dir,
                    "--duckbatch.source=" + args[0], "--duckbatch.target=" + dir.resolve("target.duckdb"),
                    "--duckbatch.scoring.mode=" + args[1]);
        }
    }

}
