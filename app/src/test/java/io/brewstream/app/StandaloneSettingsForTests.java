package io.brewstream.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Standalone settings for tests: loopback, free ports, a data directory of the test's own. */
final class StandaloneSettingsForTests {
    private StandaloneSettingsForTests() {
    }

    static StandaloneSettings onFreePorts(Path dataDir) {
        return new StandaloneSettings(dataDir, false, "127.0.0.1", 0, 0, 0, 0, 0, Optional.empty(), List.of("all"),
                Duration.ofMillis(100), true);
    }
}
