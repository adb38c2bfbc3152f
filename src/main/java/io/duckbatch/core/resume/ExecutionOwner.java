package io.duckbatch.core.resume;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The process that runs (or ran) a job execution, as recorded in the job repository, and how
 * long ago it last beat its heartbeat (measured on the repository database's clock, so the
 * hosts' clocks need not agree).
 */
public record ExecutionOwner(String host, long pid, Duration sinceHeartbeat) {

    static final String LOCAL_HOST = localHostName();

    /**
     * Whether the owner may still be running. On this host the pid answers: a live pid is
     * never declared dead, however late its heartbeat. On another host only the heartbeat
     * can: silent for longer than {@code timeout} means gone.
     */
    public boolean mayBeAlive(Duration timeout) {
        if (this.host.equals(LOCAL_HOST)) {
            return ProcessHandle.of(this.pid).map(ProcessHandle::isAlive).orElse(false);
        }
        return this.sinceHeartbeat.compareTo(timeout) <= 0;
    }

    /**
     * The name this owner's process gives its sessions of the repository database
     * (PostgreSQL's {@code application_name}, which keeps 63 characters), so that another
     * process can find and end them once the owner is gone ({@link ExecutionOwnerRegistry#endSessions}).
     */
    public String sessionName() {
        return sessionName(this.host, this.pid);
    }

    /** {@link #sessionName()} of this process. */
    public static String localSessionName() {
        return sessionName(LOCAL_HOST, ProcessHandle.current().pid());
    }

    private static String sessionName(String host, long pid) {
        String name = "duckbatch " + pid + "@" + host;
        return (name.length() > 63) ? name.substring(0, 63) : name;
    }

    @Override
    public String toString() {
        return "pid " + this.pid + " on " + this.host + " (last heartbeat " + this.sinceHeartbeat.toSeconds() + " s ago)";
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            return "localhost";
        }
    }

}
