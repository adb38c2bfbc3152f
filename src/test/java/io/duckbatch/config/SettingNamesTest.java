package io.duckbatch.config;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SettingNamesTest {

    /**
     * Spring Boot reads DUCKBATCH_CHUNKSIZE as duckbatch.chunk-size, but DUCKBATCH_CHUNK_SIZE
     * as duckbatch.chunk.size, which no setting has: refused, with the name that works.
     */
    @Test
    void anEnvironmentVariableThatSetsNoSettingIsNamedWithTheOneThatWould() {
        assertThat(SettingNames.unknownEnvironmentVariables(List.of("DUCKBATCH_CHUNKSIZE", "DUCKBATCH_SCORING_RANGESIZE",
                "DUCKBATCH_SCORING_THRESHOLD", "DUCKBATCH_HEARTBEAT_TIMEOUT", "DUCKBATCH_SHUTDOWNTIMEOUT", "DUCKBATCH_DATADIR",
                "DUCKBATCH_LEGACY_INCORPORATEDBEFORE", "DUCKBATCH_TEST_POSTGRES_URL", "PATH", "HOME")))
            .isEmpty();
        assertThat(SettingNames.unknownEnvironmentVariables(List.of("DUCKBATCH_CHUNK_SIZE", "DUCKBATCH_CHUNK_SISE")))
            .containsExactly(
                    "unknown setting DUCKBATCH_CHUNK_SISE (environment variable); did you mean DUCKBATCH_CHUNKSIZE?",
                    "unknown setting DUCKBATCH_CHUNK_SIZE (environment variable); did you mean DUCKBATCH_CHUNKSIZE?");
    }

    @Test
    void aMisspeltSettingGetsTheClosestKnownOne() {
        assertThat(SettingNames.closest("duckbatch.chunk-sise")).isEqualTo("duckbatch.chunk-size");
        assertThat(SettingNames.closest("duckbatch.scoring.treshold")).isEqualTo("duckbatch.scoring.threshold");
    }

}
