package io.brewstream.topologies.bots;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.bots.ChatLinkCode;
import io.brewstream.schemas.bots.ChatSession;
import io.brewstream.schemas.bots.ChatEvent;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.pricing.PriceChange;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.topologies.reference.ReferenceTables;

/**
 * One chat's updates and its orders' changes, in order, through {@link ChatConversation}; keeps the chat's
 * session and forwards what the conversation says to send.
 */
final class ChatProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ChatSession> sessions;
    private ChatConversation conversation;
    private final java.util.Map<String, org.apache.kafka.common.metrics.Sensor> sensors = new java.util.HashMap<>();

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        sessions = context.getStateStore(BotStores.CHAT_SESSIONS);
        KeyValueStore<String, MenuItem> menu = context.getStateStore(ReferenceTables.MENU_ITEMS);
        KeyValueStore<String, Shop> shops = context.getStateStore(ReferenceTables.SHOPS);
        KeyValueStore<String, PriceChange> prices = context.getStateStore(ReferenceTables.CURRENT_PRICES);
        KeyValueStore<String, ChatLinkCode> codes = context.getStateStore(ReferenceTables.LINK_CODES);
        // every sensor made now, so each series is exported from the start, at zero, not from its first count
        for (io.brewstream.schemas.common.Channel platform : ChatConversation.PLATFORMS) {
            ChatConversation.Count.all().forEach(count -> sensor(platformName(platform), count));
        }
        conversation = new ChatConversation(new ChatConversation.Lookups() {
            @Override
            public Collection<MenuItem> menu() {
                return all(menu);
            }

            @Override
            public Collection<Shop> shops() {
                return all(shops);
            }

            @Override
            public Optional<Shop> shop(String shopId) {
                return Optional.ofNullable(shops.get(shopId));
            }

            @Override
            public Optional<PriceChange> currentPrice(String shopId, String menuItemId) {
                return Optional.ofNullable(prices.get(Keys.shopItem(shopId, menuItemId)));
            }

            @Override
            public Optional<ChatLinkCode> linkCode(String code) {
                return Optional.ofNullable(codes.get(code));
            }
        });
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        ChatSession current = sessions.get(record.key());
        ChatConversation.Outcome outcome;
        if (record.value() instanceof ChatEvent update) {
            outcome = conversation.onEvent(current != null ? current : ChatConversation.newSession(update, now), update, now);
        } else if (record.value() instanceof OrderEvent event && current != null) {
            outcome = conversation.onOrderEvent(current, event, now);
        } else {
            return;
        }
        if (outcome.session() != current) {
            sessions.put(record.key(), outcome.session());
        }
        for (ChatConversation.Keyed output : outcome.outputs()) {
            context.forward(new Record<>(output.key(), output.value(), record.timestamp()));
        }
        if (!outcome.counts().isEmpty()) {
            String platform = platformName(outcome.session().getPlatform());
            for (ChatConversation.Count count : outcome.counts()) {
                sensor(platform, count).record();
            }
        }
    }

    private static String platformName(io.brewstream.schemas.common.Channel platform) {
        return platform.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Kafka Streams' own custom metrics, exported with the application's other metrics, one per platform and thing
     * counted: {@code kafka_stream_bots_command_order_total{bots_id="telegram"}},
     * {@code kafka_stream_bots_order_placed_total{bots_id="slack"}}. Kafka names a custom sensor by thread, entity and
     * operation only, so the command is part of the operation's name (a tag would share one sensor between
     * commands); the metrics library hands back the existing sensor on a repeat.
     */
    private org.apache.kafka.common.metrics.Sensor sensor(String platform, ChatConversation.Count count) {
        String operation = count.label().isEmpty() || count.what().equals(ChatConversation.Count.ORDER_PLACED)
                ? count.what() : count.what() + "-" + count.label().replace("/", "");
        return sensors.computeIfAbsent(platform + '|' + operation, k -> context.metrics()
                .addRateTotalSensor("bots", platform, operation, org.apache.kafka.common.metrics.Sensor.RecordingLevel.INFO));
    }

    /** The menu and the shops are a few dozen rows: read whole per message. */
    private static <V> List<V> all(KeyValueStore<String, V> store) {
        List<V> values = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.all()) {
            it.forEachRemaining(kv -> values.add(kv.value));
        }
        return values;
    }
}
