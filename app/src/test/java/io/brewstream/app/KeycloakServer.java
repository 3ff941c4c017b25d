package io.brewstream.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.brewstream.embedded.Directories;
import io.brewstream.embedded.FreePorts;
import io.brewstream.platform.http.Json;

/**
 * A real OpenID provider for tests: Keycloak's server distribution from Maven Central (unpacked by the build into
 * {@code app/target/keycloak}), started in development mode as a child process on a free loopback port, with the
 * test realm imported at start. Its data (an H2 file) is wiped before each start; the process and its Java child
 * are stopped by their pids on close.
 */
final class KeycloakServer implements AutoCloseable {
    static final String HOME_PROPERTY = "brewstream.keycloak.home";
    static final String REALM = "brewstream";

    private final Path home;
    private final int port;
    private final Process process;
    /** The script and the server it started end with this JVM, even a killed one. */
    private final List<io.brewstream.embedded.Lifeline> lifelines = new java.util.ArrayList<>();

    private KeycloakServer(Path home, int port, Process process) {
        this.home = home;
        this.port = port;
        this.process = process;
        lifelines.add(io.brewstream.embedded.Lifeline.watch(process.pid(), "TERM", Duration.ofSeconds(30)));
    }

    /** Starts Keycloak with the realm file from the test resources and waits until the realm answers. */
    static KeycloakServer start(String realmResource) throws Exception {
        Path home = Path.of(System.getProperty(HOME_PROPERTY, "target/keycloak/keycloak-26.5.6")).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("Keycloak's distribution is not unpacked at " + home
                    + "; the build unpacks it before the tests (mvn verify)");
        }
        Directories.deleteRecursively(home.resolve("data"));
        Path imports = Files.createDirectories(home.resolve("data/import"));
        try (InputStream realm = KeycloakServer.class.getResourceAsStream(realmResource)) {
            Files.copy(realm, imports.resolve("realm.json"));
        }
        int port = FreePorts.next();
        Path log = home.resolve("data/keycloak.log");
        // through bash: the unpacked zip need not keep the script's executable bit
        ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--import-realm", "--log-level=WARN",
                "--http-management-port=" + FreePorts.next())
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin-for-tests");
        builder.environment().put("JAVA_OPTS_KC_HEAP", "-XX:MaxRAMPercentage=10 -Xmx512m");
        KeycloakServer server = new KeycloakServer(home, port, builder.start());
        try {
            server.awaitRealm(Duration.ofMinutes(3), log);
            server.process.descendants().forEach(child -> server.lifelines.add(
                    io.brewstream.embedded.Lifeline.watch(child.pid(), "TERM", Duration.ofSeconds(30))));
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    String issuer() {
        return "http://127.0.0.1:" + port + "/realms/" + REALM;
    }

    private void awaitRealm(Duration timeout, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep polling until the deadline
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException("Keycloak did not serve realm " + REALM + " within " + timeout + ":\n"
                + Files.readString(log));
    }

    /** An access token for a user, by the resource owner password grant of the realm's confidential client. */
    String passwordGrant(String username, String password) throws Exception {
        Map<String, String> form = Map.of("grant_type", "password", "client_id", "brewstream-app",
                "client_secret", "brewstream-app-secret", "username", username, "password", password, "scope", "openid");
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(issuer() + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused the token request: " + response.body());
        }
        return Json.mapper().readTree(response.body()).get("access_token").asText();
    }

    @Override
    public void close() {
        lifelines.forEach(io.brewstream.embedded.Lifeline::close);
        // kc.sh forwards TERM to its Java child; the child is stopped by its own pid too, in case the script is gone
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle child : children) {
                child.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        try {
            Directories.deleteRecursively(home.resolve("data"));
        } catch (UncheckedIOException ignored) {
            // a file still held open; the next start wipes it
        }
    }
}
