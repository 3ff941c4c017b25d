package io.brewstream.platform.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a dependency (the broker, the schema registry, the database) answers, asked every {@code interval} on a
 * thread of its own, so neither {@code /ready} nor a request that must refuse while it is away ever waits for it.
 * The probe bounds its own wait (a timeout shorter than the interval). An <em>essential</em> dependency is one the
 * process cannot serve without (the ingress without the broker): {@code /ready} answers 503 while it is away; the
 * others are reported and do not decide. Until the first answer it counts as away.
 */
public final class DependencyProbe implements ReadinessCheck, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DependencyProbe.class);

    /** One look at the dependency: true when it answered as it should. Throwing counts as away. */
    @FunctionalInterface
    public interface Probe {
        boolean answers() throws Exception;
    }

    private final String name;
    private final boolean essential;
    private final Probe probe;
    private final ScheduledExecutorService scheduler;
    private volatile boolean reachable;
    private volatile boolean checked;
    private volatile String problem = "not checked yet";

    public DependencyProbe(String name, boolean essential, Duration interval, Probe probe) {
        this.name = name;
        this.essential = essential;
        this.probe = probe;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "probe-" + name);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::look, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A GET of {@code uri} that answers 2xx within {@code timeout}. */
    public static Probe httpGet(URI uri, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        return () -> {
            int status = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 300;
        };
    }

    private void look() {
        boolean answered;
        String why;
        try {
            answered = probe.answers();
            why = answered ? null : "answered, but not as it should";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            answered = false;
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (answered != reachable) {
            if (answered) {
                log.info("{} answers again", name);
            } else {
                log.warn("{} does not answer: {}", name, why);
            }
        }
        problem = why;
        reachable = answered;
        checked = true;
    }

    public boolean reachable() {
        return reachable;
    }

    /**
     * Found away at its last look (not merely unchecked): what a request may refuse on at once. Before the first look
     * a request goes ahead and finds out itself.
     */
    public boolean away() {
        return checked && !reachable;
    }

    /** Why it was last found away; null while it answers. */
    public String problem() {
        return problem;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean ready() {
        return reachable;
    }

    @Override
    public boolean essential() {
        return essential;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
