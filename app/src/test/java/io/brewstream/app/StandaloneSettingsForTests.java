package io.brewstream.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.brewstream.topologies.runtime.StreamsSettings;

/** Standalone settings for tests: loopback, free ports, a data directory of the test's own, the default commit interval. */
final class StandaloneSettingsForTests {
    private StandaloneSettingsForTests() {
    }

    /**
     * Starts a standalone stack on free ports with these settings, set as system properties (which the stack's
     * {@code Env} reads first) only while it starts, so no other test sees them.
     */
    static Standalone startWith(Path dataDir, java.util.Map<String, String> settings) {
        settings.forEach(System::setProperty);
        try {
            return Standalone.start(onFreePorts(dataDir));
        } finally {
            settings.keySet().forEach(System::clearProperty);
        }
    }

    static StandaloneSettings onFreePorts(Path dataDir) {
        return new StandaloneSettings(dataDir, false, "127.0.0.1", 0, 0, 0, 0, 0, Optional.empty(), List.of("all"),
                StreamsSettings.DEFAULT_COMMIT_INTERVAL, 1, true, false, false);
    }
}
