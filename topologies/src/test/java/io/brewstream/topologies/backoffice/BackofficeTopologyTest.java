package io.brewstream.topologies.backoffice;

import static io.brewstream.topologies.support.OrderFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.backoffice.OutboxEvent;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.support.DriverSupport;

/** Outbox events reach the back-office events topic once each, whatever was redelivered. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class BackofficeTopologyTest {
    private final AvroSerdes serdes;
    private DriverSupport support;
    private TestOutputTopic<String, OutboxEvent> events;

    @TempDir
    Path stateDir;

    BackofficeTopologyTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    @BeforeEach
    void setUp() {
        support = new DriverSupport(new BackofficeTopology(Duration.ofHours(1)), serdes, stateDir, T0);
        events = support.output(Topics.BACKOFFICE_EVENTS);
    }

    @AfterEach
    void tearDown() {
        support.close();
    }

    @Test
    void aRedeliveredEventIsPassedOnOnce() {
        OutboxEvent created = event("promotion", "promo-1", "PromotionCreated");
        OutboxEvent closed = event("shop", "berlin-mitte", "ShopClosed");
        support.input(Topics.OUTBOX_PROMOTIONS).pipeInput("promo-1", created);
        support.input(Topics.OUTBOX_SHOPS).pipeInput("berlin-mitte", closed);
        support.input(Topics.OUTBOX_PROMOTIONS).pipeInput("promo-1", created);
        support.input(Topics.OUTBOX_SHOPS).pipeInput("berlin-mitte", closed);

        assertThat(events.readKeyValuesToList()).containsExactly(
                KeyValue.pair("promo-1", created), KeyValue.pair("berlin-mitte", closed));
    }

    @Test
    void anEventIdIsForgottenAfterTheWindow() {
        OutboxEvent created = event("promotion", "promo-2", "PromotionCreated");
        support.input(Topics.OUTBOX_PROMOTIONS).pipeInput("promo-2", created);
        support.driver.advanceWallClockTime(Duration.ofHours(2));
        support.input(Topics.OUTBOX_PROMOTIONS).pipeInput("promo-2", created);

        assertThat(events.readValuesToList()).hasSize(2);
    }

    private static OutboxEvent event(String aggregateType, String aggregateId, String type) {
        return OutboxEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setAggregateType(aggregateType)
                .setAggregateId(aggregateId).setEventType(type).setPayload("{}").setOccurredAt(T0).build();
    }
}
