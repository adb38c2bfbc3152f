package io.duckbatch.core.resume;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Which process runs a job execution: host and pid, recorded in the execution's context when
 * it starts. An execution the repository still shows as running is only recovered when its
 * owner is known to be gone: same host and that pid no longer alive.
 */
public record ExecutionOwner(String host, long pid) {

    static final String HOST_KEY = "duckbatch.owner.host";

    static final String PID_KEY = "duckbatch.owner.pid";

    /** This process. */
    public static ExecutionOwner current() {
        return new ExecutionOwner(hostName(), ProcessHandle.current().pid());
    }

    /** The owner recorded in an execution, if any. */
    public static Optional<ExecutionOwner> of(JobExecution execution) {
        ExecutionContext context = execution.getExecutionContext();
        if (!context.containsKey(HOST_KEY) || !context.containsKey(PID_KEY)) {
            return Optional.empty();
        }
        return Optional.of(new ExecutionOwner(context.getString(HOST_KEY), context.getLong(PID_KEY)));
    }

    /**
     * Whether the owner may still be running: true unless it is on this host and its pid is
     * gone. (A pid on another host cannot be checked from here, so it counts as alive.)
     */
    public boolean mayBeAlive() {
        if (!this.host.equals(hostName())) {
            return true;
        }
        return ProcessHandle.of(this.pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public String toString() {
        return "pid " + this.pid + " on " + this.host;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            return "localhost";
        }
    }

    /**
     * Records the current process as the owner of every execution it starts, saving the
     * context at once so a crash in the first step still leaves the owner behind.
     */
    public static JobExecutionListener recorder(JobRepository repository) {
        ExecutionOwner owner = current();
        return new JobExecutionListener() {
            @Override
            public void beforeJob(JobExecution jobExecution) {
                jobExecution.getExecutionContext().putString(HOST_KEY, owner.host());
                jobExecution.getExecutionContext().putLong(PID_KEY, owner.pid());
                repository.updateExecutionContext(jobExecution);
            }
        };
    }

}
