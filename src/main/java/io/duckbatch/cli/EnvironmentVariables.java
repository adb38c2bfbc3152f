package io.duckbatch.cli;

import java.util.List;

import io.duckbatch.config.SettingNames;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Refuses a {@code DUCKBATCH_*} environment variable that sets no setting, before anything
 * starts, as an unknown {@code --duckbatch.*} option is refused (see
 * {@link SettingNames#unknownEnvironmentVariables}).
 */
public class EnvironmentVariables implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        List<String> unknown = SettingNames.unknownEnvironmentVariables(
                event.getEnvironment().getSystemEnvironment().keySet());
        if (!unknown.isEmpty()) {
            throw new DataDir.Unusable(String.join("; ", unknown));
        }
    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER - 1;
    }

}
