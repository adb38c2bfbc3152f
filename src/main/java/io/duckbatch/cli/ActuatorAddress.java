package io.duckbatch.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.OptionalInt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The actuator's address once its web server listens: printed so a person knows where to
 * look, and kept up after a job for {@code duckbatch.metrics.keep-alive}.
 */
@Component
public class ActuatorAddress implements ApplicationListener<WebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(ActuatorAddress.class);

    private final Environment environment;

    private final MetricsPort metricsPort;

    private volatile String prometheusUrl;

    public ActuatorAddress(Environment environment, MetricsPort metricsPort) {
        this.environment = environment;
        this.metricsPort = metricsPort;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        int port = event.getWebServer().getPort();
        if (port > 0) {
            String host = this.environment.getProperty("server.address", "127.0.0.1");
            if (host.equals("0.0.0.0") || host.equals("::")) {
                // Listening on every interface: name the host others would reach.
                host = hostName();
            }
            this.prometheusUrl = "http://" + host + ":" + port + "/actuator/prometheus";
            OptionalInt busy = this.metricsPort.busyDefault();
            log.info("Metrics: {}{}", this.prometheusUrl, busy.isPresent() ? " (" + busy.getAsInt() + " was in use)" : "");
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            return "localhost";
        }
    }

    /** Waits {@code keepAlive} when the endpoint is up, saying so; returns early if interrupted. */
    public void keepAlive(Duration keepAlive) {
        if (this.prometheusUrl == null || keepAlive.isZero()) {
            return;
        }
        log.info("Metrics stay at {} for {} s (duckbatch.metrics.keep-alive)", this.prometheusUrl, keepAlive.toSeconds());
        try {
            Thread.sleep(keepAlive.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
