package io.duckbatch.cli;

import java.io.IOException;
import java.net.BindException;
import java.util.Optional;
import java.util.OptionalInt;

import org.apache.coyote.http11.Http11NioProtocol;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginTrackedResource;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.SystemEnvironmentOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/**
 * The actuator's port. One the user chose ({@code management.server.port} or
 * {@code server.port} on the command line, in ./config/application.yml, as
 * MANAGEMENT_SERVER_PORT or SERVER_PORT, or a system property) is used or refused. The
 * jar's default (8081) gives way to a free port when it is taken, as by a second job on
 * the same host: the listening socket itself tries the default first and then port 0, so
 * nothing can take the port between a check and the bind.
 */
@Component
public class MetricsPort implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private static final ConfigurationPropertyName[] PORT_SETTINGS = { ConfigurationPropertyName.of("management.server.port"),
            ConfigurationPropertyName.of("server.port") };

    private final boolean chosenByUser;

    private volatile int busyDefault;

    public MetricsPort(Environment environment) {
        this.chosenByUser = chosenSetting(environment).isPresent();
    }

    /**
     * The port setting the user made, if any: the first of {@code management.server.port}
     * and {@code server.port} that comes from anywhere but the jar's own application.yml.
     */
    static Optional<ConfigurationProperty> chosenSetting(Environment environment) {
        for (ConfigurationPropertyName name : PORT_SETTINGS) {
            for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
                ConfigurationProperty property = source.getConfigurationProperty(name);
                if (property != null && !shippedInTheJar(property.getOrigin())) {
                    return Optional.of(property);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Why a web server could not start on {@code port}, which the user chose (a default
     * port that is taken gives way): the setting, where it was made when not on the command
     * line, and what to run instead.
     */
    public static String inUse(int port, Environment environment) {
        Optional<ConfigurationProperty> chosen = (environment != null) ? chosenSetting(environment) : Optional.empty();
        String name = chosen.map(property -> property.getName().toString()).orElse("management.server.port");
        String origin = chosen.flatMap(property -> where(property.getOrigin())).map(where -> " (" + where + ")").orElse("");
        String none = name.equals("management.server.port") ? "-1" : "--management.server.port=-1";
        return name + " " + port + origin + " is already in use (another duckbatch job on this host?); run with --" + name
                + "=<a free port>, or " + none + " for no HTTP endpoint";
    }

    private static boolean shippedInTheJar(Origin origin) {
        return unwrap(origin) instanceof TextResourceOrigin text && resource(text) instanceof ClassPathResource;
    }

    /** Where a setting was made, in a person's words; empty for the command line. */
    private static Optional<String> where(Origin origin) {
        Origin where = unwrap(origin);
        if (where instanceof TextResourceOrigin text) {
            String file;
            try {
                file = resource(text).getFile().getPath();
            }
            catch (IOException notAFile) {
                file = resource(text).getDescription();
            }
            return Optional.of("set in " + file + ((text.getLocation() != null) ? " line " + (text.getLocation().getLine() + 1) : ""));
        }
        if (where instanceof SystemEnvironmentOrigin environment) {
            return Optional.of("environment variable " + environment.getProperty());
        }
        if (origin instanceof PropertySourceOrigin property && property.getPropertySource().getName().equals("systemProperties")) {
            return Optional.of("system property -D" + property.getPropertyName());
        }
        if (origin instanceof PropertySourceOrigin property && property.getPropertySource().getName().equals("commandLineArgs")) {
            return Optional.empty();
        }
        return Optional.of(String.valueOf(origin));
    }

    private static Origin unwrap(Origin origin) {
        return (origin instanceof PropertySourceOrigin property && property.getOrigin() != null) ? property.getOrigin() : origin;
    }

    private static Resource resource(TextResourceOrigin text) {
        return (text.getResource() instanceof OriginTrackedResource tracked) ? tracked.getResource() : text.getResource();
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        if (this.chosenByUser) {
            return;
        }
        factory.setProtocol(AnyFreePortProtocol.class.getName());
        factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof AnyFreePortProtocol protocol) {
                protocol.owner = this;
            }
        });
    }

    /** The default port, when it was taken and the actuator listens on another one. */
    public OptionalInt busyDefault() {
        return (this.busyDefault > 0) ? OptionalInt.of(this.busyDefault) : OptionalInt.empty();
    }

    /**
     * Tomcat's HTTP/1.1 connector binding when it starts (not when it is initialised, which
     * cannot be retried) and, when its port is in use, binding port 0 instead.
     */
    public static class AnyFreePortProtocol extends Http11NioProtocol {

        private volatile MetricsPort owner;

        public AnyFreePortProtocol() {
            getEndpoint().setBindOnInit(false);
        }

        @Override
        public void start() throws Exception {
            try {
                super.start();
            }
            catch (BindException ex) {
                // Only a port in use gives way: "Cannot assign requested address" is server.address's fault.
                if (this.owner == null || getPort() <= 0 || ex.getMessage() == null || !ex.getMessage().contains("in use")) {
                    throw ex;
                }
                int busy = getPort();
                setPort(0);
                super.start();
                this.owner.busyDefault = busy;
            }
        }

    }

}
