package io.duckbatch.core.resume;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariDataSource;
import io.duckbatch.support.TestJobRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processes starting together on a new PostgreSQL repository create the same tables at once
 * (a manager and its workers): every one of them succeeds, and what cannot run twice runs
 * one at a time. Threads released by one barrier
 * stand in for the processes; nothing depends on who wins.
 */
class RepositoryTablesTest {

    private static final int PROCESSES = 6;

    @TempDir
    Path dir;

    @Test
    void tablesCreatedAtOnceByManyProcessesAreCreatedOnceWithoutAFailure() throws Exception {
        try (TestJobRepository repository = TestJobRepository.open(TestJobRepository.POSTGRES, this.dir);
                HikariDataSource dataSource = repository.dataSource()) {
            dataSource.setMaximumPoolSize(PROCESSES);
            ExecutorService processes = Executors.newFixedThreadPool(PROCESSES);
            try {
                for (int table = 1; table <= 20; table++) {
                    String ddl = "CREATE TABLE IF NOT EXISTS RACED_" + table + " (ID BIGINT PRIMARY KEY)";
                    CyclicBarrier start = new CyclicBarrier(PROCESSES);
                    List<Future<?>> creations = new ArrayList<>();
                    for (int process = 0; process < PROCESSES; process++) {
                        creations.add(processes.submit(() -> {
                            start.await();
                            RepositoryTables.createIfMissing(dataSource, "a raced table", ddl);
                            return null;
                        }));
                    }
                    for (Future<?> creation : creations) {
                        creation.get();
                    }
                }
            }
            finally {
                processes.shutdownNow();
            }
            assertThat(repository.count("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'raced_%'")).isEqualTo(20);
        }
    }

    /** A creation that cannot run twice (Spring Batch's script) waits while another process runs one. */
    @Test
    void oneCreationAtATime() throws Exception {
        try (TestJobRepository repository = TestJobRepository.open(TestJobRepository.POSTGRES, this.dir);
                HikariDataSource dataSource = repository.dataSource()) {
            CountDownLatch firstInside = new CountDownLatch(1);
            CountDownLatch firstMayEnd = new CountDownLatch(1);
            AtomicBoolean secondRan = new AtomicBoolean();
            ExecutorService processes = Executors.newFixedThreadPool(2);
            try {
                Future<?> first = processes.submit(() -> RepositoryTables.oneAtATime(dataSource, () -> {
                    firstInside.countDown();
                    awaitQuietly(firstMayEnd);
                    return null;
                }));
                firstInside.await();
                Future<?> second = processes.submit(() -> RepositoryTables.oneAtATime(dataSource, () -> secondRan.getAndSet(true)));
                // The second waits for the lock (the repository shows it): it has not run.
                while (repository.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") == 0) {
                    assertThat(second.isDone()).as("the second creation ended without waiting").isFalse();
                    Thread.onSpinWait();
                }
                assertThat(secondRan).isFalse();
                firstMayEnd.countDown();
                first.get();
                second.get();
                assertThat(secondRan).isTrue();
            }
            finally {
                processes.shutdownNow();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
