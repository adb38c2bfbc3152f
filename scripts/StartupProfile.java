import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import org.slf4j.LoggerFactory;

import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.metrics.StartupStep;

/**
 * Where a duckbatch command's start-up goes (docs/benchmarks.md, "Start-up"): runs
 * {@code DuckbatchApplication.main} with the given arguments and prints, at exit, the
 * milestones (ms since the JVM started, CPU ms the process used, classes loaded so far): main entered, each Spring
 * Boot run phase, the first rows a keyset reader read; then the context's slowest steps and
 * bean instantiations by their own time (Spring's {@code BufferingApplicationStartup}).
 *
 * <pre>
 * java -Djarmode=tools -jar target/duckbatch.jar extract --destination /tmp/duckbatch-ext
 * javac -cp "/tmp/duckbatch-ext/duckbatch.jar:/tmp/duckbatch-ext/lib/*" -d /tmp/startup-profile scripts/StartupProfile.java
 * java -cp "/tmp/startup-profile:/tmp/duckbatch-ext/duckbatch.jar:/tmp/duckbatch-ext/lib/*" StartupProfile jobs
 * java -cp ... StartupProfile --management.server.port=-1
 * </pre>
 *
 * Compiled first rather than run as a source file: the source launcher's compiler would run
 * in the same JVM and warm the code being measured.
 */
public class StartupProfile {

    private static final List<String> milestones = new CopyOnWriteArrayList<>();

    private static final BufferingApplicationStartup startup = new BufferingApplicationStartup(20_000);

    public static void main(String[] args) throws Exception {
        milestone("main entered");
        Runtime.getRuntime().addShutdownHook(new Thread(StartupProfile::report));
        SpringApplication.withHook(application -> {
            application.setApplicationStartup(startup);
            return new Milestones();
        }, () -> {
            io.duckbatch.DuckbatchApplication.main(args);
        });
        milestone("main returned");
    }

    static void milestone(String what) {
        long cpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        milestones.add(String.format(Locale.ROOT, "%7d ms %7d CPU ms %6d classes  %s", ManagementFactory.getRuntimeMXBean().getUptime(),
                cpuNanos / 1_000_000, ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount(), what));
    }

    private static void report() {
        milestone("exit");
        System.err.println("\n== milestones (ms since JVM start, CPU ms so far, classes loaded so far) ==");
        milestones.forEach(System.err::println);
        StartupTimeline timeline = startup.getBufferedTimeline();
        List<StartupTimeline.TimelineEvent> events = timeline.getEvents();
        if (events.isEmpty()) {
            return;
        }
        Map<Long, Long> childNanos = new HashMap<>();
        for (StartupTimeline.TimelineEvent event : events) {
            Long parent = event.getStartupStep().getParentId();
            if (parent != null) {
                childNanos.merge(parent, event.getDuration().toNanos(), Long::sum);
            }
        }
        record Row(String name, long totalNanos, long selfNanos) {
        }
        List<Row> rows = new ArrayList<>();
        Map<String, long[]> byStep = new HashMap<>();
        for (StartupTimeline.TimelineEvent event : events) {
            StartupStep step = event.getStartupStep();
            long total = event.getDuration().toNanos();
            long self = total - childNanos.getOrDefault(step.getId(), 0L);
            StringBuilder name = new StringBuilder(step.getName());
            step.getTags().forEach(tag -> {
                if (!tag.getKey().equals("beanType")) {
                    name.append(' ').append(tag.getKey()).append('=').append(tag.getValue());
                }
            });
            rows.add(new Row(name.toString(), total, self));
            long[] sums = byStep.computeIfAbsent(step.getName(), key -> new long[3]);
            sums[0]++;
            sums[1] += self;
        }
        System.err.println("\n== steps by name: count, own ms ==");
        byStep.entrySet()
            .stream()
            .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed())
            .forEach(e -> System.err.printf(Locale.ROOT, "%6d %8.1f  %s%n", e.getValue()[0], e.getValue()[1] / 1e6, e.getKey()));
        System.err.println("\n== slowest steps by own ms (total ms) ==");
        rows.stream()
            .sorted(Comparator.comparingLong(Row::selfNanos).reversed())
            .limit(Integer.getInteger("top", 30))
            .forEach(r -> System.err.printf(Locale.ROOT, "%8.1f (%8.1f)  %s%n", r.selfNanos() / 1e6, r.totalNanos() / 1e6,
                    abbreviate(r.name())));
    }

    private static String abbreviate(String name) {
        return (name.length() > 150) ? name.substring(0, 150) + "..." : name;
    }

    /** Spring Boot's run phases, and log lines that mark a job's progress. */
    static final class Milestones implements SpringApplicationRunListener {

        @Override
        public void starting(ConfigurableBootstrapContext bootstrapContext) {
            milestone("SpringApplication starting");
        }

        @Override
        public void environmentPrepared(ConfigurableBootstrapContext bootstrapContext, ConfigurableEnvironment environment) {
            milestone("environment prepared (logging set up)");
        }

        @Override
        public void contextPrepared(ConfigurableApplicationContext context) {
            milestone("context created: " + context.getClass().getSimpleName());
            watch("io.duckbatch.core.read.KeysetItemReader", Level.DEBUG);
            watch("org.springframework.batch.core.step.AbstractStep", Level.INFO);
            watch("io.duckbatch.core.resume.ResumingJobLauncher", Level.INFO);
        }

        @Override
        public void contextLoaded(ConfigurableApplicationContext context) {
            milestone("sources loaded (" + context.getBeanDefinitionCount() + " bean definitions)");
        }

        @Override
        public void started(ConfigurableApplicationContext context, Duration timeTaken) {
            milestone("context refreshed (" + context.getBeanDefinitionCount() + " bean definitions), runners next");
        }

        @Override
        public void ready(ConfigurableApplicationContext context, Duration timeTaken) {
            milestone("runners done");
        }

        @Override
        public void failed(ConfigurableApplicationContext context, Throwable exception) {
            milestone("failed: " + exception);
        }

        private static void watch(String loggerName, Level level) {
            Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
            if (logger.getLevel() == null || !logger.isEnabledFor(level)) {
                logger.setLevel(level);
            }
            AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
                @Override
                protected void append(ILoggingEvent event) {
                    String message = event.getFormattedMessage();
                    milestone("log: " + ((message.length() > 100) ? message.substring(0, 100) + "..." : message));
                }
            };
            appender.setContext(logger.getLoggerContext());
            appender.start();
            logger.addAppender(appender);
        }

    }

}
