package io.brewstream.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * npm packages the tests and the demo run (anvil, the official A2A SDK), installed with the machine's npm the first
 * time into a cache directory of their own ({@code ~/.cache/brewstream/<name>-<version>}), one installer at a time
 * across processes (a file lock), and reused after.
 */
public final class NpmPackages {
    private static final Logger log = LoggerFactory.getLogger(NpmPackages.class);

    private NpmPackages() {
    }

    /**
     * The directory {@code pkg@version} is installed under (its {@code node_modules} inside), installing it first if
     * {@code marker} (a path relative to that directory) is not there yet.
     *
     * @param home where to install; null: {@code ~/.cache/brewstream/<cacheName>}
     */
    public static Path installed(String pkg, String version, String cacheName, Path home, Path marker) {
        Path dir = home != null ? home : Path.of(System.getProperty("user.home"), ".cache", "brewstream", cacheName);
        if (Files.exists(dir.resolve(marker))) {
            return dir;
        }
        try {
            Files.createDirectories(dir);
            try (FileChannel lockFile = FileChannel.open(dir.resolve(".install-lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                if (!Files.exists(dir.resolve(marker))) {
                    install(pkg, version, dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not install " + pkg + " into " + dir, e);
        }
        if (!Files.exists(dir.resolve(marker))) {
            throw new IllegalStateException("npm installed " + pkg + " but " + dir.resolve(marker) + " is not there");
        }
        return dir;
    }

    private static void install(String pkg, String version, Path dir) throws IOException {
        log.info("installing {}@{} from npm into {}", pkg, version, dir);
        Path logFile = dir.resolve("npm-install.log");
        Process npm = new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix",
                dir.toString(), pkg + "@" + version)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile())).start();
        try {
            if (!npm.waitFor(5, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm install of " + pkg + " took more than 5 minutes");
            }
        } catch (InterruptedException e) {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + pkg, e);
        }
        if (npm.exitValue() != 0) {
            throw new IllegalStateException("npm install " + pkg + "@" + version + " failed (is Node.js with npm"
                    + " installed?):\n" + Files.readString(logFile));
        }
    }
}
