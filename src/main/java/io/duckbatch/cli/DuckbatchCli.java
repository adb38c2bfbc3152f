package io.duckbatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.duckbatch.config.DuckbatchProperties;
import io.duckbatch.core.duckdb.DuckDbDataSource;
import io.duckbatch.core.job.GracefulShutdown;
import io.duckbatch.core.resume.ResumingJobLauncher;
import io.duckbatch.core.timing.WorkingSteps;
import io.duckbatch.demo.DemoDataGenerator;
import io.duckbatch.jobs.JobCatalog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.core.env.Environment;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.stereotype.Component;

/**
 * The command line: {@code java -jar duckbatch.jar [verb] [operands] [--name=value ...]}.
 * Without a verb it runs the job named by {@code spring.batch.job.name} (default
 * {@code companyScoring}). Exit codes: 0 success, 1 a failed job or operation, 2 a usage
 * error. Every verb answers {@code --help}.
 * <p>
 * {@code --help} and {@code jobs} are answered before Spring starts
 * ({@link #answerWithoutSpring}); the repository verbs run in a context with the job
 * repository alone ({@link #needsOnlyTheJobRepository}); the application's context holds
 * only the jobs the command runs ({@link #jobsToImport}). This runner serves both contexts.
 */
@Component
public class DuckbatchCli implements ApplicationRunner, ExitCodeGenerator {

    public static final String JOB_NAME_PROPERTY = "spring.batch.job.name";

    /** The verbs that run a job; "null" is no verb at all. */
    private static final Set<String> JOB_VERBS = Set.of("null", "run", "restart");

    /** The verbs that read or update the job repository and nothing else. */
    /** The verb of a worker process: a distributed run whatever the settings say ({@link #settingsOf}). */
    static final String WORKER_VERB = "worker";

    private static final Set<String> REPOSITORY_VERBS = Set.of("executions", "stop", "abandon", "recover");

    static final String USAGE = """
            usage: java -jar duckbatch.jar [verb] [--name=value ...]
              (no verb)                  run the job named by --spring.batch.job.name (default companyScoring)
              run <job> [name=value ...] start a job, or resume its last instance if that did not complete
              restart <executionId>      restart a FAILED or STOPPED execution
              stop <executionId>         ask a running execution to stop (it ends STOPPED, restartable)
              abandon <executionId>      mark a STOPPED or FAILED execution ABANDONED (never restarted)
              recover <executionId>      mark an execution left STARTED by a dead process FAILED
              executions [job] [--limit N]  recent executions, newest first (default 20)
              jobs                       the jobs in this build
              worker                     run the partitions of distributed runs (--duckbatch.distributed=true) until stopped
              bench [--rows N]           companyScoring four ways side by side (stock, chunk, udf, sql)
              bench import [--rows N]    companyImport against DuckDB's bare read_csv of the same file
              bench refresh [--rows N]   companyScoring's incremental run against a full one after 1% changed
              demo companies-house <file> [--rows N] | demo rtic-codes <file>
                                         write demo data as the files users bring (the bulk file, a codes file)
            --name=value sets any property (see README); '<verb> --help' explains a verb.
            exit codes: 0 success, 1 failed job or operation, 2 usage error,
              143 stopped by SIGTERM, 130 stopped by Ctrl-C (the execution is STOPPED: run the same command to resume)""";

    private static final Map<String, String> VERB_HELP = Map.of(
            "run", """
                    usage: java -jar duckbatch.jar run <job> [name=value ...]
                    Starts <job> with the source and target as identifying parameters, plus any name=value
                    given. If the job's last instance with the same parameters FAILED, was STOPPED, or was
                    left STARTED by a process that is gone, that instance is resumed instead.""",
            "restart", "usage: java -jar duckbatch.jar restart <executionId>\nRestarts a FAILED or STOPPED execution on the "
                    + "source and target (and companyScoring's codes file) it recorded; completed tasks are skipped, an interrupted one resumes where its output ends.",
            "stop", "usage: java -jar duckbatch.jar stop <executionId>\nAsks a running execution to stop after its "
                    + "current chunk; it ends STOPPED and can be restarted.",
            "abandon", "usage: java -jar duckbatch.jar abandon <executionId>\nMarks a STOPPED or FAILED execution "
                    + "ABANDONED so that it is never restarted; the next run starts a new instance.",
            "recover", "usage: java -jar duckbatch.jar recover <executionId>\nMarks an execution left STARTED by a "
                    + "process that died FAILED, so it can be restarted. Refused while its process is alive.",
            "executions", "usage: java -jar duckbatch.jar executions [job] [--limit N]\nLists recent executions, "
                    + "newest first: id, job, status, start, end, rows read and written, duration, parameters.",
            "jobs", "usage: java -jar duckbatch.jar jobs\nLists the jobs in this build with what each does.",
            "worker", """
                    usage: java -jar duckbatch.jar worker [--duckbatch.worker.slots=N] [--duckbatch.shard-dir=<folder>]
                    Runs the partitions that 'run companyScoring --duckbatch.distributed=true' sends through the
                    PostgreSQL job repository (needs the postgres profile), N at a time (default: the cores), each
                    writing its own shard in the shard folder, shared by every host; the manager then builds the
                    target from the shards. Runs until SIGTERM or Ctrl-C, which stop the running partitions at a
                    chunk boundary (STOPPED: the manager's next run resumes them). See README, "Several machines".""",
            "demo", """
                    usage: java -jar duckbatch.jar demo companies-house <file> [--rows N]
                           java -jar duckbatch.jar demo rtic-codes <file>
                    companies-house writes N demo companies (default duckbatch.demo.rows) as Companies House's
                    bulk file: a .zip holding one CSV, a .csv or a .csv.gz, in the exact format of the monthly
                    download (import it with: run companyImport input=<file>). rtic-codes writes the demo's
                    codes as a codes file for --duckbatch.scoring.codes.""",
            "bench", """
                    usage: java -jar duckbatch.jar bench [--rows N] [--keyset-rows N]
                    Runs the companyScoring workload on N generated companies (default 2,000,000) four ways
                    in this process, after a warm-up: stock Spring Batch (on a subset, scaled), the chunk path,
                    the udf mode and plain SQL; then the Appender and executeBatch writers alone, and keyset
                    against OFFSET paging on a table of --keyset-rows rows (default 10,000,000). Prints a
                    line per mode, a table and 'ratio <name> <x>' lines; the runs' own lines (per task) go
                    to <data-dir>/duckbatch.log. Work files go to <data-dir>/bench; the generated sources
                    stay there for the next run.
                    bench import [--rows N] [--rounds R] instead writes N demo companies (default 2,000,000) in
                    the Companies House format and imports them R times (default 3) with companyImport,
                    alternating with DuckDB's bare CREATE TABLE AS SELECT * FROM read_csv of the same file;
                    prints the medians and 'ratio import_vs_read_csv <x>'.
                    bench refresh [--rows N] [--rounds R] runs the monthly refresh alone (the last part of
                    bench): a full companyScoring run records its target, 1% of the companies change, then a
                    full run and an incremental run alternate R times (default 3); prints the medians and
                    'ratio incremental_speedup <x>'.""");

    /** Spring Batch's failure of a partitioned step whose tasks failed: each task's own cause says more. */
    private static final String PARTITION_FAILED = "Partition handler returned an unsuccessful step";

    private static final Logger log = LoggerFactory.getLogger(DuckbatchCli.class);

    /** Stack traces for the log file only: the terminal gets one line per problem (see ConsoleLogFilter). */
    private static final Logger details = LoggerFactory.getLogger("duckbatch.details");

    private final Map<String, Job> jobs = new TreeMap<>();

    private final Map<String, Verb> verbs = new TreeMap<>();

    private final ResumingJobLauncher launcher;

    private final JobOperator jobOperator;

    private final JobRepository jobRepository;

    private final DuckbatchProperties properties;

    private final Environment environment;

    // Only in the whole application: the repository verbs' context runs no job.

    private final ObjectProvider<DemoDataGenerator> demoDataGenerator;

    private final ObjectProvider<ActuatorAddress> actuatorAddress;

    private final ObjectProvider<GracefulShutdown> gracefulShutdown;

    private int exitCode;

    private List<String> commandLine = List.of();

    private String[] relaunchArguments;

    public DuckbatchCli(Map<String, Job> jobs, ResumingJobLauncher launcher, JobOperator jobOperator,
            JobRepository jobRepository, DuckbatchProperties properties, ObjectProvider<DemoDataGenerator> demoDataGenerator,
            Environment environment, ObjectProvider<ActuatorAddress> actuatorAddress, List<Verb> verbs,
            ObjectProvider<GracefulShutdown> gracefulShutdown) {
        jobs.values().forEach(job -> this.jobs.put(job.getName(), job));
        verbs.forEach(verb -> this.verbs.put(verb.name(), verb));
        this.launcher = launcher;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.properties = properties;
        this.demoDataGenerator = demoDataGenerator;
        this.environment = environment;
        this.actuatorAddress = actuatorAddress;
        this.gracefulShutdown = gracefulShutdown;
    }

    /**
     * Whether these command-line arguments run a job (no verb, {@code run} or
     * {@code restart}): only those start the actuator's web server.
     */
    public static boolean runsAJob(String[] args) {
        return Arguments.parseable(args).filter(DuckbatchCli::runsAJob).isPresent();
    }

    private static boolean runsAJob(Arguments arguments) {
        return !arguments.help() && JOB_VERBS.contains(String.valueOf(arguments.verb()));
    }

    /**
     * The answer to {@code --help} or {@code jobs}, if the command line asks either: printed
     * before Spring starts, since it needs no job, repository or database ({@code jobs}
     * prints {@link JobCatalog}).
     */
    public static Optional<String> answerWithoutSpring(String[] args) {
        return Arguments.parseable(args).flatMap(arguments -> arguments.help() ? Optional.of(helpText(arguments))
                : "jobs".equals(arguments.verb()) ? Optional.of(JobCatalog.listing().stripTrailing()) : Optional.empty());
    }

    /**
     * Whether the command only reads or updates the job repository ({@code executions},
     * {@code stop}, {@code abandon}, {@code recover}): it then starts
     * {@code JobRepositoryApplication}, not the whole application. Any other verb may be a
     * {@link Verb} of the application, and a command line that does not parse is reported by
     * the application as always.
     */
    public static boolean needsOnlyTheJobRepository(String[] args) {
        return Arguments.parseable(args)
            .filter(arguments -> !arguments.help() && REPOSITORY_VERBS.contains(String.valueOf(arguments.verb())))
            .isPresent();
    }

    /** Whether the command may open a DuckDB database: not help, {@code jobs} or a repository verb. */
    public static boolean usesDuckDb(String[] args) {
        return answerWithoutSpring(args).isEmpty() && !needsOnlyTheJobRepository(args);
    }

    /**
     * The jobs whose configurations a command's application context imports
     * ({@link JobImports}): the one it runs ({@code run <job>}, or without a verb the job
     * {@code spring.batch.job.name} names), every job for {@code restart} (its job is known
     * only once the repository is read), none for the other verbs. An unknown job name
     * imports none; the command then says which jobs there are.
     */
    public static List<JobCatalog.Entry> jobsToImport(String[] args, Environment environment) {
        Arguments arguments = Arguments.parseable(args).orElse(null);
        if (arguments == null || arguments.help()) {
            return List.of();
        }
        if (arguments.verb() == null) {
            return JobCatalog.find(environment.getRequiredProperty(JOB_NAME_PROPERTY)).stream().toList();
        }
        return switch (arguments.verb()) {
            case "run" -> arguments.operands().stream().limit(1).flatMap(job -> JobCatalog.find(job).stream()).toList();
            case "restart" -> JobCatalog.JOBS;
            // The jobs whose partitions a worker may be asked to run.
            case WORKER_VERB -> JobCatalog.find(JobCatalog.COMPANY_SCORING).stream().toList();
            default -> List.of();
        };
    }

    /** Settings a command implies: a worker serves distributed runs only. */
    public static Map<String, Object> settingsOf(String[] args) {
        return Arguments.parseable(args)
            .filter(arguments -> !arguments.help() && WORKER_VERB.equals(arguments.verb()))
            .<Map<String, Object>>map(arguments -> Map.of("duckbatch.distributed", "true"))
            .orElse(Map.of());
    }

    private static String helpText(Arguments args) {
        String verb = args.verb();
        return (verb != null && VERB_HELP.containsKey(verb)) ? VERB_HELP.get(verb) : USAGE;
    }

    @Override
    public void run(ApplicationArguments applicationArguments) {
        try {
            this.commandLine = List.of(applicationArguments.getSourceArgs());
            Arguments args = Arguments.parse(applicationArguments.getSourceArgs());
            String verb = args.verb();
            if (args.help()) {
                System.out.println(helpText(args));
                this.exitCode = 0;
                return;
            }
            this.exitCode = (verb == null) ? launch(this.environment.getRequiredProperty(JOB_NAME_PROPERTY), List.of()) : dispatch(verb, args);
            if (runsAJob(args) && this.relaunchArguments == null) {
                this.actuatorAddress.getObject().keepAlive(this.properties.getMetrics().getKeepAlive());
            }
        }
        catch (Arguments.UsageException ex) {
            Console.error(ex.getMessage() + "\n" + USAGE);
            this.exitCode = 2;
        }
        catch (Exception ex) {
            details.info("Command failed", ex);
            Console.error(Console.describe(ex));
            this.exitCode = 1;
        }
    }

    private int dispatch(String verb, Arguments args) throws Exception {
        return switch (verb) {
            case "run" -> {
                if (args.operands().isEmpty()) {
                    throw new Arguments.UsageException("run needs a job name; 'jobs' lists them");
                }
                yield launch(args.operands().get(0), args.operands().subList(1, args.operands().size()));
            }
            case "restart" -> restart(execution(args.executionId()));
            case "stop" -> {
                JobExecution execution = execution(args.executionId());
                if (!execution.isRunning()) {
                    throw new IllegalStateException("Execution " + execution.getId() + " is " + execution.getStatus()
                            + ", not running: nothing to stop");
                }
                this.jobOperator.stop(execution);
                System.out.println("Asked execution " + args.executionId() + " to stop; it ends STOPPED after its current chunk");
                yield 0;
            }
            case "abandon" -> status("Abandoned", this.jobOperator.abandon(execution(args.executionId())));
            case "recover" -> recover(args.executionId());
            case "executions" -> executions(args);
            case "jobs" -> {
                System.out.print(JobCatalog.listing());
                yield 0;
            }
            default -> {
                Verb other = this.verbs.get(verb);
                if (other == null) {
                    throw new Arguments.UsageException("Unknown verb '" + verb + "'");
                }
                yield other.run(args);
            }
        };
    }

    private JobExecution execution(long id) {
        JobExecution execution;
        try {
            execution = this.jobRepository.getJobExecution(id);
        }
        catch (EmptyResultDataAccessException ex) {
            // Spring Batch 6's JDBC repository throws for an unknown id where it used to return null.
            execution = null;
        }
        if (execution == null) {
            throw new IllegalArgumentException("No job execution " + id + " in the job repository; 'executions' lists them");
        }
        return execution;
    }

    /**
     * Restarts an execution on the databases it ran on. The jobs read and write the files the
     * settings name when the application starts, so when the execution recorded others and the
     * command line did not name any, the application runs again with the recorded ones
     * ({@link #relaunchArguments()}); a file the command line names that differs is refused.
     */
    private int restart(JobExecution execution) throws Exception {
        List<String> recorded = new ArrayList<>();
        for (JobParameter<?> setting : identifyingParameters()) {
            String name = setting.name();
            String then = execution.getJobParameters().getString(name);
            String now = String.valueOf(setting.value());
            if (then == null || then.equals(now)) {
                continue;
            }
            String option = "--duckbatch." + name + "=";
            if (this.commandLine.stream().anyMatch(argument -> argument.startsWith(option))) {
                throw new IllegalArgumentException("Execution " + execution.getId() + " ran with " + name + " " + then
                        + ", not " + now + "; a restart runs on the data it ran on: drop " + option + now
                        + ", or start a new execution with 'run'");
            }
            recorded.add(option + then);
        }
        if (recorded.isEmpty()) {
            return this.gracefulShutdown.getObject().launchAndReport(() -> report(this.launcher.restart(execution)));
        }
        log.info("Execution {} ran with {}: restarting it with those", execution.getId(),
                String.join(" ", recorded).replace("--duckbatch.", ""));
        List<String> again = new ArrayList<>(this.commandLine);
        again.addAll(recorded);
        this.relaunchArguments = again.toArray(String[]::new);
        return 0;
    }

    /**
     * The command line to run the application with once more, when a restart needs settings
     * the execution recorded (see {@link #restart}).
     */
    public Optional<String[]> relaunchArguments() {
        return Optional.ofNullable(this.relaunchArguments);
    }

    private int recover(long id) throws Exception {
        JobExecution execution = execution(id);
        this.launcher.requireOwnerGone(execution);
        return status("Recovered", this.jobOperator.recover(execution));
    }

    private static int status(String what, JobExecution execution) {
        System.out.println(what + " execution " + execution.getId() + " of " + execution.getJobInstance().getJobName()
                + ": now " + execution.getStatus());
        return 0;
    }

    private int executions(Arguments args) {
        List<String> names = args.operands().isEmpty() ? JobCatalog.names() : args.operands();
        List<JobExecution> executions = new ArrayList<>();
        for (String name : names) {
            for (JobInstance instance : this.jobRepository.findJobInstances(name)) {
                for (JobExecution execution : this.jobRepository.getJobExecutions(instance)) {
                    executions.add(this.jobRepository.getJobExecution(execution.getId()));
                }
            }
        }
        executions.sort(Comparator.comparingLong(JobExecution::getId).reversed());
        int limit = (int) Math.min(args.count("limit", 20), Integer.MAX_VALUE);
        System.out.print(ExecutionsTable.format(executions.subList(0, Math.min(limit, executions.size()))));
        return 0;
    }

    private int launch(String jobName, List<String> parameters) throws Exception {
        Job job = this.jobs.get(jobName);
        if (job == null) {
            Console.error("Unknown job '" + jobName + "' (" + JOB_NAME_PROPERTY + "); jobs in this build: "
                    + String.join(", ", JobCatalog.names()));
            return 2;
        }
        JobParameters settings = identifyingParameters();
        JobParametersBuilder identifying = new JobParametersBuilder(settings);
        for (String parameter : parameters) {
            int equals = parameter.indexOf('=');
            if (equals < 1) {
                throw new Arguments.UsageException("Job parameters are name=value, was '" + parameter + "'");
            }
            String name = parameter.substring(0, equals);
            if (settings.getParameter(name) != null) {
                // Recorded from the settings the job really uses: a parameter of that name would record a lie.
                throw new Arguments.UsageException("Job parameter '" + name + "' is set from duckbatch." + name
                        + "; run with --duckbatch." + parameter + " instead");
            }
            identifying.addString(name, parameter.substring(equals + 1));
        }
        try {
            if (!writesSource(jobName)) {
                prepareSource();
            }
            return this.gracefulShutdown.getObject().launchAndReport(() -> report(this.launcher.launch(job, identifying.toJobParameters())));
        }
        catch (Exception ex) {
            details.info("Launch of {} failed", jobName, ex);
            Console.error(jobName + " did not run: " + Console.describe(ex, writtenFiles(jobName)));
            return 1;
        }
    }

    /** Generates the demo source only when the default one is missing; a named source must exist. */
    private void prepareSource() throws IOException {
        if (Files.isRegularFile(this.properties.getSource())) {
            if (!DuckDbDataSource.isDuckDbFile(this.properties.getSource())) {
                throw new IllegalArgumentException("Source database " + this.properties.getSource().toAbsolutePath()
                        + " is not a DuckDB file (duckbatch.source); load a CSV or Parquet file into a DuckDB database first");
            }
            return;
        }
        if (Files.isDirectory(this.properties.getSource())) {
            throw new IllegalArgumentException("Source database " + this.properties.getSource().toAbsolutePath()
                    + " is a folder, not a DuckDB file (duckbatch.source)");
        }
        if (!this.properties.isDefaultSource()) {
            throw new IllegalArgumentException("Source database " + this.properties.getSource().toAbsolutePath()
                    + " does not exist (duckbatch.source)");
        }
        this.demoDataGenerator.getObject().generate(this.properties.getSource(), this.properties.getDemo().getRows());
    }

    /** The files and folders a job writes, most specific first, with the settings that name them. */
    private Map<Path, String> writtenFiles(String jobName) {
        Map<Path, String> files = new LinkedHashMap<>();
        if (writesSource(jobName)) {
            files.put(this.properties.getSource(), "duckbatch.source");
        }
        files.put(this.properties.getTarget(), "duckbatch.target");
        files.put(this.properties.getDataDir(), "duckbatch.data-dir");
        return files;
    }

    private static boolean writesSource(String jobName) {
        return JobCatalog.find(jobName).map(JobCatalog.Entry::writesSource).orElse(false);
    }

    private JobParameters identifyingParameters() {
        return new JobParametersBuilder()
            .addString("source", this.properties.getSource().toAbsolutePath().normalize().toString())
            .addString("target", this.properties.getTarget().toAbsolutePath().normalize().toString())
            .toJobParameters();
    }

    private int report(JobExecution execution) {
        String jobName = execution.getJobInstance().getJobName();
        if (execution.getStatus() != BatchStatus.COMPLETED && execution.getStatus() != BatchStatus.STOPPED) {
            // A task's failure also fails its partitioned step and the job: say each cause once.
            List<String> causes = execution.getAllFailureExceptions()
                .stream()
                .map(failure -> Console.describe(failure, writtenFiles(jobName)))
                .distinct()
                .toList();
            causes.stream()
                .filter(cause -> causes.size() == 1 || !cause.equals(PARTITION_FAILED))
                .forEach(cause -> Console.error(execution.getJobInstance().getJobName() + " execution " + execution.getId()
                        + " " + execution.getStatus() + ": " + cause));
        }
        Path written = writesSource(jobName) ? this.properties.getSource() : this.properties.getTarget();
        // The counts as recorded: a distributed run's partitions ran on workers.
        RunSummary.lines(WorkingSteps.asRecorded(execution, this.jobRepository), written,
                this.properties.getDataDir().resolve("duckbatch.log"))
            .forEach(line -> log.info("{}", line));
        return (execution.getStatus() == BatchStatus.COMPLETED) ? 0 : 1;
    }

    @Override
    public int getExitCode() {
        return this.exitCode;
    }

}
