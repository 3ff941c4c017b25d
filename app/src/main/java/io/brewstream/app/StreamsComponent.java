package io.brewstream.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.streams.state.HostInfo;

import io.brewstream.platform.config.Env;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.ReadinessCheck;
import io.brewstream.platform.metrics.Observability;
import io.brewstream.queries.DashboardRoutes;
import io.brewstream.queries.OpenApiRoutes;
import io.brewstream.queries.analytics.StatsQueryRoutes;
import io.brewstream.queries.fraud.FraudQueryRoutes;
import io.brewstream.queries.inventory.StockQueryRoutes;
import io.brewstream.queries.limits.OpenConnections;
import io.brewstream.queries.orders.OrderQueryRoutes;
import io.brewstream.queries.pricing.PriceQueryRoutes;
import io.brewstream.queries.push.ChangeFeed;
import io.brewstream.queries.push.PushRoutes;
import io.brewstream.queries.routing.InstanceRouter;
import io.brewstream.queries.stores.LocalStores;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.orders.OrdersTopology;
import io.brewstream.topologies.runtime.DomainTopology;
import io.brewstream.topologies.runtime.StreamsApp;
import io.brewstream.topologies.runtime.StreamsSettings;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

/** The topologies this process runs, with the read routes over their stores. */
final class StreamsComponent {
    final List<StreamsApp> apps = new ArrayList<>();

    /** Completes, with why, once any of its applications is dead for good: the process should then exit. */
    java.util.concurrent.CompletableFuture<String> deadForGood() {
        return java.util.concurrent.CompletableFuture.anyOf(apps.stream().map(StreamsApp::deadForGood)
                .toArray(java.util.concurrent.CompletableFuture[]::new)).thenApply(String::valueOf);
    }
    final List<HttpRoutes> routes = new ArrayList<>();
    final List<ReadinessCheck> readiness = new ArrayList<>();

    private static final java.time.Duration METRICS_BIND_AT_THE_LATEST = java.time.Duration.ofSeconds(30);

    private static void bindUnlessClosed(KafkaStreamsMetrics metrics, Observability observability) {
        try {
            metrics.bindTo(observability.registry());
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the process stopped before the application ever ran: nothing to export
        }
    }

    static StreamsComponent start(List<DomainTopology> topologies, StreamsSettings settings,
            Observability observability, Lifecycle lifecycle) {
        StreamsComponent component = new StreamsComponent();
        Optional<HostInfo> self = settings.applicationServer().map(HostInfo::buildFromEndpoint);
        OpenConnections openConnections = OpenConnections.from(Env.system());
        for (DomainTopology topology : topologies) {
            StreamsApp app = lifecycle.add(new StreamsApp(topology, settings));
            KafkaStreamsMetrics metrics = lifecycle.add(new KafkaStreamsMetrics(app.streams()));
            // bound once the application first runs (or after a while if it does not): Micrometer looks for new
            // Kafka metrics once a minute only, and by RUNNING the tasks exist, with the sensors their processors
            // made in init, so these are exported from the start
            app.firstRunning().copy().completeOnTimeout(null, METRICS_BIND_AT_THE_LATEST.toSeconds(), TimeUnit.SECONDS)
                    .thenRun(() -> bindUnlessClosed(metrics, observability));
            component.apps.add(app);
            component.readiness.add(ReadinessCheck.of("streams-" + app.name(), app::isRunning));
            LocalStores stores = new LocalStores(app.streams());
            InstanceRouter router = new InstanceRouter(app.streams(), self);
            if (app.name().equals("orders")) {
                component.routes.add(lifecycle.add(new OrderQueryRoutes(stores, router, openConnections)));
                component.routes.add(new StockQueryRoutes(stores, router)); // a shop's stock is in its orders task
                if (topology instanceof OrdersTopology orders && orders.scoresFraud()) {
                    component.routes.add(new FraudQueryRoutes(stores, router, true));
                }
            } else if (app.name().equals("fraud")) {
                component.routes.add(new FraudQueryRoutes(stores, router, false));
            } else if (app.name().equals("analytics")) {
                component.routes.add(new StatsQueryRoutes(stores, router));
            } else if (app.name().equals("pricing")) {
                component.routes.add(new PriceQueryRoutes(stores, router));
            } else if (app.name().equals("payments")) {
                component.routes.add(new io.brewstream.queries.payments.InvoiceQueryRoutes(stores, router));
            } else if (app.name().equals("arbitrage")) {
                component.routes.add(new io.brewstream.queries.arbitrage.ArbitrageQueryRoutes(stores, router));
            } else if (app.name().equals("agents")) {
                component.routes.add(lifecycle.add(new io.brewstream.queries.agents.A2aRoutes(stores, router,
                        settings.bootstrapServers(), AvroSerdes.forRegistry(settings.registryUrl()))));
                component.routes.add(new io.brewstream.queries.agents.AgentReadRoutes(stores, router));
            }
        }
        component.routes.add(new OpenApiRoutes());
        component.routes.add(new DashboardRoutes());
        ChangeFeed feed = lifecycle.add(new ChangeFeed(settings.bootstrapServers(),
                AvroSerdes.forRegistry(settings.registryUrl()),
                List.of(Topics.ORDER_EVENTS, Topics.PRICE_CHANGES, Topics.FRAUD_ALERTS, Topics.INVOICES,
                        Topics.ARBITRAGE_OPPORTUNITIES)));
        component.routes.add(lifecycle.add(new PushRoutes(feed, openConnections)));
        // every dead letter counted by source topic and reason, for the alert on them (docker/prometheus)
        lifecycle.add(new io.brewstream.app.deadletters.DeadLetterMonitor(settings.bootstrapServers(),
                AvroSerdes.forRegistry(settings.registryUrl()), observability.registry())).start();
        startSideBySide(component.apps);
        return component;
    }

    /**
     * Each application's {@code start()} returns once its global stores are restored (after a crash, rebuilt from
     * their topics: seconds each); one application's restore need not hold up the next one's.
     */
    private static void startSideBySide(List<StreamsApp> apps) {
        List<java.util.concurrent.CompletableFuture<Void>> starting = apps.stream()
                .map(app -> java.util.concurrent.CompletableFuture.runAsync(app::start,
                        task -> new Thread(task, "start-" + app.name()).start()))
                .toList();
        for (java.util.concurrent.CompletableFuture<Void> start : starting) {
            try {
                start.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
    }
}
