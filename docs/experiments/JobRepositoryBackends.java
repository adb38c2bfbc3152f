import java.sql.*; import java.util.*; import java.util.concurrent.*;
import javax.sql.DataSource;
import com.zaxxer.hikari.*;
import org.springframework.batch.core.*; import org.springframework.batch.core.job.*; import org.springframework.batch.core.job.builder.*;
import org.springframework.batch.core.job.parameters.*; import org.springframework.batch.core.launch.*; import org.springframework.batch.core.launch.support.*;
import org.springframework.batch.core.repository.*; import org.springframework.batch.core.repository.support.*; import org.springframework.batch.core.step.*;
import org.springframework.batch.core.step.builder.*; import org.springframework.batch.core.partition.*;
import org.springframework.batch.infrastructure.item.*; import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.jdbc.datasource.DataSourceTransactionManager; import org.springframework.jdbc.datasource.init.*;
import org.springframework.core.io.ClassPathResource; import org.springframework.core.task.*; import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Measures whether a DuckDB file can serve as Spring Batch 6's JDBC job repository, against
 * an H2 file: schema creation, a failed job restarted in a new JVM, and partitions updating
 * the repository concurrently. See docs/decisions.md.
 *
 * Run (after ./mvnw -B -DskipTests package), from the repository root:
 *   mkdir -p /tmp/jr/lib && (cd /tmp/jr/lib && unzip -qo "$OLDPWD/target/duckbatch.jar" 'BOOT-INF/lib/*')
 *   for b in duckdb h2; do for p in fail restart concurrent; do
 *     java -cp "/tmp/jr/lib/BOOT-INF/lib/*" docs/experiments/JobRepositoryBackends.java $b /tmp/jr/$b.repo $p; done; done
 */
public class JobRepositoryBackends {
  public static void main(String[] a) throws Exception {
    String backend = a[0]; String file = a[1]; String phase = a[2]; // duckdb|h2, file, fail|restart|concurrent
    HikariConfig hc = new HikariConfig();
    if (backend.equals("duckdb")) { hc.setJdbcUrl("jdbc:duckdb:" + file); hc.setDriverClassName("org.duckdb.DuckDBDriver"); }
    else { hc.setJdbcUrl("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE"); }
    hc.setMaximumPoolSize(8);
    HikariDataSource ds = new HikariDataSource(hc);
    boolean exists;
    try (Connection c = ds.getConnection(); ResultSet r = c.getMetaData().getTables(null, null, "%", null)) { exists = false; while (r.next()) if (r.getString(3).equalsIgnoreCase("batch_job_instance")) exists = true; }
    if (!exists) {
      String script = backend.equals("duckdb") ? "org/springframework/batch/core/schema-postgresql.sql" : "org/springframework/batch/core/schema-h2.sql";
      long t0=System.nanoTime();
      new ResourceDatabasePopulator(new ClassPathResource(script)).execute(ds);
      System.out.println(backend + " create schema: OK (" + (System.nanoTime()-t0)/1_000_000 + " ms)");
    }
    DataSourceTransactionManager tm = new DataSourceTransactionManager(ds);
    JdbcJobRepositoryFactoryBean f = new JdbcJobRepositoryFactoryBean();
    f.setDataSource(ds); f.setTransactionManager(tm);
    if (backend.equals("duckdb")) { f.setDatabaseType("POSTGRES"); f.setIsolationLevelForCreateEnum(org.springframework.transaction.annotation.Isolation.DEFAULT); }
    f.afterPropertiesSet();
    JobRepository repo = f.getObject();
    org.springframework.batch.core.configuration.support.MapJobRegistry registry = new org.springframework.batch.core.configuration.support.MapJobRegistry();
    JobOperatorFactoryBean of = new JobOperatorFactoryBean(); of.setJobRepository(repo); of.setTransactionManager(tm); of.setJobRegistry(registry); of.afterPropertiesSet();
    JobOperator op = of.getObject();
    java.nio.file.Path flag = java.nio.file.Path.of(file + ".fail");
    Step failing = new StepBuilder("flaky", repo).tasklet((contribution, ctx) -> {
        ExecutionContext ec = ctx.getStepContext().getStepExecution().getExecutionContext();
        ec.putInt("attempts", ec.getInt("attempts", 0) + 1);
        if (java.nio.file.Files.exists(flag)) throw new IllegalStateException("flag file present");
        System.out.println(backend + " restart: step sees attempts=" + ec.getInt("attempts"));
        return RepeatStatus.FINISHED; }, tm).build();
    Step worker = new StepBuilder("worker", repo).<Integer,Integer>chunk(2).transactionManager(tm)
        .reader(new org.springframework.batch.infrastructure.item.support.ListItemReader<>(new ArrayList<>(java.util.stream.IntStream.range(0, 400).boxed().toList())))
        .writer(chunk -> {}).build();
    Partitioner p = grid -> { Map<String, ExecutionContext> m = new LinkedHashMap<>(); for (int i = 0; i < 16; i++) m.put("p" + i, new ExecutionContext()); return m; };
    ThreadPoolTaskExecutor te = new ThreadPoolTaskExecutor(); te.setCorePoolSize(4); te.initialize();
    Step partitioned = new StepBuilder("partitioned", repo).partitioner("worker", p).step(worker).gridSize(8).taskExecutor(te).build();
    if (phase.equals("fail")) {
      java.nio.file.Files.writeString(flag, "x");
      Job job = new JobBuilder("restartable", repo).start(failing).build();
      JobExecution e = op.start(job, new JobParametersBuilder().addLong("run", 1L).toJobParameters());
      System.out.println(backend + " first run: " + e.getStatus());
    } else if (phase.equals("restart")) {
      java.nio.file.Files.deleteIfExists(flag);
      Job job = new JobBuilder("restartable", repo).start(failing).build();
      registry.register(job);
      JobExecution last = repo.getLastJobExecution("restartable", new JobParametersBuilder().addLong("run", 1L).toJobParameters());
      JobExecution e = op.restart(last);
      System.out.println(backend + " restart in a new JVM: " + e.getStatus());
    } else {
      Job job = new JobBuilder("concurrent", repo).start(partitioned).build();
      for (int run = 1; run <= 5; run++) {
        long t0 = System.nanoTime();
        try {
          JobExecution e = op.start(job, new JobParametersBuilder().addLong("run", (long) run).toJobParameters());
          String err = e.getAllFailureExceptions().isEmpty() ? "" : " " + e.getAllFailureExceptions().get(0).toString().lines().findFirst().orElse("");
          Throwable root = e.getAllFailureExceptions().isEmpty() ? null : e.getAllFailureExceptions().get(0); while (root != null && root.getCause() != null) root = root.getCause();
          System.out.println(backend + " concurrent partitions run " + run + ": " + e.getStatus() + " in " + (System.nanoTime()-t0)/1_000_000 + " ms" + (root == null ? "" : " root: " + root.toString().lines().findFirst().orElse("")));
        } catch (Exception ex) { Throwable root = ex; while (root.getCause() != null) root = root.getCause(); System.out.println(backend + " concurrent run " + run + " threw: " + root.toString().lines().findFirst().orElse("")); }
      }
    }
    te.shutdown(); ds.close();
  }
}
