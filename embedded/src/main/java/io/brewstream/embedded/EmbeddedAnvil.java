package io.brewstream.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real local Ethereum node: anvil (Foundry's), from the npm package {@code @foundry-rs/anvil-linux-amd64},
 * installed with the machine's npm the first time it is needed into a cache directory
 * ({@code ~/.cache/brewstream/anvil-<version>}, or {@code BREWSTREAM_ANVIL_HOME}), and started as a child process on
 * a loopback port with chain id 31337 and its ten funded development accounts. Stopped by its own pid on close or
 * when this JVM exits.
 */
public final class EmbeddedAnvil implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedAnvil.class);
    public static final String VERSION = "1.7.1";
    public static final String PACKAGE = "@foundry-rs/anvil-linux-amd64";
    public static final long CHAIN_ID = 31337;
    /** anvil's development mnemonic; its accounts are funded with 10,000 ETH each. */
    public static final String DEV_MNEMONIC = "test test test test test test test test test test test junk";

    private final int port;
    private final Path workDir;
    private final boolean temporary;
    private final long chainId;
    private ChildProcess process;

    private EmbeddedAnvil(int port, Path workDir, boolean temporary) {
        this(port, workDir, temporary, CHAIN_ID);
    }

    private EmbeddedAnvil(int port, Path workDir, boolean temporary, long chainId) {
        this.chainId = chainId;
        this.port = port;
        this.workDir = workDir;
        this.temporary = temporary;
    }

    /** A node on a free loopback port; its log goes to a temporary directory deleted on close. */
    public static EmbeddedAnvil onFreePort() {
        try {
            return new EmbeddedAnvil(FreePorts.next(), Files.createTempDirectory("brewstream-anvil"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A node on the given port (0: a free one), its log in {@code workDir}. */
    public static EmbeddedAnvil on(int port, Path workDir) {
        return new EmbeddedAnvil(FreePorts.orFree(port), workDir, false);
    }

    /**
     * A node of another chain id, its chain kept in {@code workDir} across restarts: a chain of its own for a test
     * whose watcher must not meet the checkpoint another test's chain left under {@link #CHAIN_ID}.
     */
    public static EmbeddedAnvil on(int port, Path workDir, long chainId) {
        return new EmbeddedAnvil(FreePorts.orFree(port), workDir, false, chainId);
    }

    public synchronized EmbeddedAnvil start() {
        if (process != null) {
            return this;
        }
        long started = System.nanoTime();
        Path binary = binary();
        try {
            Files.createDirectories(workDir);
            Path logFile = workDir.resolve("anvil.log");
            List<String> command = new java.util.ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1", "--port",
                    Integer.toString(port), "--chain-id", Long.toString(chainId), "--mnemonic", DEV_MNEMONIC));
            if (!temporary) {
                // the chain outlives a restart: loaded from and dumped to the data directory
                command.addAll(List.of("--state", workDir.resolve("state.json").toString()));
            }
            FreePorts.requireFree(port, "anvil");
            process = ChildProcess.start("anvil", command, workDir.toFile(), logFile, Duration.ofSeconds(10));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            HttpRequest probe = HttpRequest.newBuilder(URI.create(rpcUrl())).timeout(Duration.ofSeconds(1))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
                    .build();
            process.awaitReady(Duration.ofSeconds(30),
                    () -> http.send(probe, HttpResponse.BodyHandlers.ofString()).body().contains("\"result\""));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("could not start anvil", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("anvil {} on {} (pid {}), up in {} ms", VERSION, rpcUrl(), process.pid(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return this;
    }

    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** The anvil binary, installed from npm into the cache the first time (one installer at a time). */
    public static Path binary() {
        String override = System.getenv("BREWSTREAM_ANVIL_HOME");
        Path relative = Path.of("node_modules").resolve(PACKAGE).resolve("bin").resolve("anvil");
        Path binary = NpmPackages.installed(PACKAGE, VERSION, "anvil-" + VERSION,
                override == null ? null : Path.of(override), relative).resolve(relative);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is there but not executable");
        }
        return binary;
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
            process = null;
        }
        if (temporary) {
            Directories.deleteRecursively(workDir);
        }
    }
}
