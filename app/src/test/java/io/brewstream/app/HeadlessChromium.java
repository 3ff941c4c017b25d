package io.brewstream.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.embedded.Directories;
import io.brewstream.platform.http.Json;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol with the JDK's WebSocket client: navigate,
 * evaluate JavaScript, take a screenshot. Installed by scripts/ensure-chromium.sh when missing.
 */
final class HeadlessChromium implements AutoCloseable {
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    /** The browser ends with this JVM, even a killed one (its helpers end with it). */
    private final io.brewstream.embedded.Lifeline lifeline;

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
        this.lifeline = io.brewstream.embedded.Lifeline.watch(process.pid(), "TERM", Duration.ofSeconds(10));
    }

    static HeadlessChromium start(Path repoRoot) throws Exception {
        Process install = new ProcessBuilder("bash", repoRoot.resolve("scripts/ensure-chromium.sh").toString())
                .redirectErrorStream(true).start();
        String installLog = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0) {
            throw new IllegalStateException("cannot install chromium: " + installLog);
        }
        Path profile = Files.createTempDirectory("brewstream-chromium");
        Process process = new ProcessBuilder("chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-quic", "--no-first-run", "--window-size=1400,1100",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = Json.mapper().readTree(http.send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        String pageSocket = null;
        for (JsonNode target : targets) {
            if (target.get("type").asText().equals("page")) {
                pageSocket = target.get("webSocketDebuggerUrl").asText();
            }
        }
        if (pageSocket == null) {
            throw new IllegalStateException("chromium has no page: " + targets);
        }
        HeadlessChromium[] self = new HeadlessChromium[1];
        StringBuilder partial = new StringBuilder();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    self[0].onMessage(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        self[0] = new HeadlessChromium(process, profile, socket);
        return self[0];
    }

    private void onMessage(String text) {
        try {
            JsonNode message = Json.mapper().readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> waiting = pending.remove(message.get("id").asInt());
                if (waiting != null) {
                    waiting.complete(message);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable DevTools message " + text, e);
        }
    }

    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(Json.mapper().writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
                .get(10, TimeUnit.SECONDS);
        JsonNode message = answer.get(30, TimeUnit.SECONDS);
        if (message.has("error")) {
            throw new IllegalStateException(method + " failed: " + message.get("error"));
        }
        return message.get("result");
    }

    void navigate(String url) throws Exception {
        call("Page.enable", Map.of());
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression evaluated in the page. */
    JsonNode evaluate(String expression) throws Exception {
        return call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true)).path("result").path("value");
    }

    /**
     * Opens the dashboard for a shop and signs in with the bearer token (with or without its "Bearer " prefix), as a
     * person would by pasting the token from their provider.
     */
    void openDashboard(String baseUrl, String shop, String bearer) throws Exception {
        navigate(baseUrl + "/dashboard?shop=" + shop);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "signed out".equals(status()));
        String token = bearer.startsWith("Bearer ") ? bearer.substring("Bearer ".length()) : bearer;
        evaluate("document.getElementById('token').value = '" + token + "';"
                + "document.getElementById('signin').requestSubmit(); true");
    }

    /** The dashboard's connection status: signed out, live, reconnecting… */
    String status() throws Exception {
        return evaluate("document.getElementById('status').textContent").asText();
    }

    void screenshot(Path file) throws Exception {
        String png = call("Page.captureScreenshot", Map.of("format", "png")).get("data").asText();
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(png));
    }

    @Override
    public void close() {
        // Chromium runs helper processes that write into the profile; stop all of them before deleting it
        List<ProcessHandle> helpers = process.descendants().toList();
        lifeline.close();
        try {
            call("Browser.close", Map.of());
        } catch (Exception alreadyGone) {
            // the process is stopped below either way
        }
        socket.abort();
        process.destroy();
        helpers.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle helper : helpers) {
                helper.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (Exception helperStuck) {
            helpers.forEach(ProcessHandle::destroyForcibly);
        }
        Directories.deleteRecursively(profile);
    }
}
