package io.duckbatch.cli;

import java.util.concurrent.CountDownLatch;

import io.duckbatch.config.DuckbatchProperties;
import io.duckbatch.config.JobRepositoryConfiguration;
import io.duckbatch.core.remote.PartitionRequests;
import io.duckbatch.core.remote.PartitionWorker;
import io.duckbatch.core.resume.ExecutionOwnerRegistry;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.integration.partition.BeanFactoryStepLocator;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * {@code worker}: runs the partitions that distributed runs ({@code --duckbatch.distributed=true})
 * send, {@code duckbatch.worker.slots} at a time ({@link PartitionWorker}), until SIGTERM or
 * Ctrl-C: the running partitions then stop at a chunk boundary, STOPPED, and the manager's
 * next run resumes them. Needs the PostgreSQL job repository the manager uses.
 */
@Component
class WorkerVerb implements Verb, SmartLifecycle {

    private final ObjectProvider<PartitionRequests> requests;

    private final ObjectProvider<ExecutionOwnerRegistry> partitionOwners;

    private final JobRepository jobRepository;

    private final DuckbatchProperties properties;

    private final BeanFactory beanFactory;

    private final CountDownLatch ended = new CountDownLatch(1);

    private volatile PartitionWorker worker;

    private volatile boolean running;

    WorkerVerb(ObjectProvider<PartitionRequests> requests,
            @Qualifier(JobRepositoryConfiguration.PARTITION_OWNERS) ObjectProvider<ExecutionOwnerRegistry> partitionOwners,
            JobRepository jobRepository, DuckbatchProperties properties, BeanFactory beanFactory) {
        this.requests = requests;
        this.partitionOwners = partitionOwners;
        this.jobRepository = jobRepository;
        this.properties = properties;
        this.beanFactory = beanFactory;
    }

    @Override
    public String name() {
        return "worker";
    }

    @Override
    public int run(Arguments arguments) throws Exception {
        if (!arguments.operands().isEmpty()) {
            throw new Arguments.UsageException("worker takes no operands, only --name=value settings");
        }
        PartitionRequests requests = this.requests.getObject();
        BeanFactoryStepLocator steps = new BeanFactoryStepLocator();
        steps.setBeanFactory(this.beanFactory);
        try {
            this.worker = new PartitionWorker(requests, this.jobRepository, this.partitionOwners.getObject(), steps,
                    this.properties.getWorker().getSlots(), this.properties.getWorker().getPollInterval());
            this.worker.run();
        }
        finally {
            this.ended.countDown();
        }
        return 0;
    }

    @Override
    public void start() {
        this.running = true;
    }

    /** SIGTERM or Ctrl-C: the partitions stop at a chunk boundary; waits for them before the databases close. */
    @Override
    public void stop() {
        this.running = false;
        PartitionWorker current = this.worker;
        if (current != null) {
            current.stop();
            try {
                this.ended.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

}
