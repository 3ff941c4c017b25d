package io.brewstream.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the unpacked Apicurio registry distribution (the {@code -runner.jar} and its {@code lib/}) is.
 * The build unpacks it from Maven Central into {@code target/apicurio-registry} at the project root.
 */
public final class RegistryDistribution {
    public static final String HOME_PROPERTY = "brewstream.registry.home";
    public static final String HOME_ENV = "BREWSTREAM_REGISTRY_HOME";

    private RegistryDistribution() {
    }

    /** The runner jar, looked up in the configured home, next to the running jar, or in the source tree. */
    public static Path runnerJar() {
        List<Path> candidates = candidateHomes();
        for (Path home : candidates) {
            Optional<Path> jar = runnerIn(home);
            if (jar.isPresent()) {
                return jar.get();
            }
        }
        throw new IllegalStateException("Apicurio registry distribution not found; looked in " + candidates
                + ". Build the project (mvn -DskipTests install) to unpack it, or set " + HOME_ENV + ".");
    }

    private static List<Path> candidateHomes() {
        List<Path> homes = new ArrayList<>();
        Optional.ofNullable(System.getProperty(HOME_PROPERTY)).map(Path::of).ifPresent(homes::add);
        Optional.ofNullable(System.getenv(HOME_ENV)).map(Path::of).ifPresent(homes::add);
        // next to the running jar, or in the source tree it was built in (<root>/target/apicurio-registry)
        codeLocation().ifPresent(location -> {
            Path dir = location;
            for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
                homes.add(dir.resolve("apicurio-registry"));
                homes.add(dir.resolve("target").resolve("apicurio-registry"));
            }
        });
        homes.add(Path.of("target", "apicurio-registry").toAbsolutePath());
        return homes;
    }

    private static Optional<Path> codeLocation() {
        try {
            Path location = Path.of(RegistryDistribution.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Optional.ofNullable(location.getParent());
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> runnerIn(Path home) {
        if (!Files.isDirectory(home)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
