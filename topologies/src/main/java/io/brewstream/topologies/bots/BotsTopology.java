package io.brewstream.topologies.bots;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

import io.brewstream.schemas.bots.ChatLinkCode;
import io.brewstream.schemas.bots.ChatOrder;
import io.brewstream.schemas.bots.ChatSession;
import io.brewstream.schemas.agents.TaskReply;
import io.brewstream.schemas.bots.ChatQuestion;
import io.brewstream.schemas.bots.Feedback;
import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.bots.StaffChat;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.DomainTopology;
import io.brewstream.topologies.runtime.TypedStreams;

/**
 * Bots: chats in, the product's commands and replies out.
 *
 * <p>Three parts. The conversation: chat events (Telegram, Slack and Discord alike) and the changes of the chat's
 * own orders, both keyed by chat and co-partitioned, meet in one processor with the chat's session
 * ({@link ChatProcessor}); it writes order commands (channel TELEGRAM, SLACK or DISCORD), the chat each order came
 * from, replies and notifications, feedback, spent link codes and staff chats. The way back: order events join the
 * orders placed from chats (both keyed by order id) and are re-keyed to their chat, so an order's changes, its
 * pickup code among them, reach the chat that placed it and no other. Staff alerts: low stock and fraud alerts go
 * to the chats linked as their shop's staff chats.
 */
public final class BotsTopology implements DomainTopology {
    @Override
    public String name() {
        return "bots";
    }

    @Override
    public void define(StreamsBuilder builder, AvroSerdes serdes) {
        ReferenceTables.addShops(builder, serdes);
        ReferenceTables.addMenuItems(builder, serdes);
        ReferenceTables.addCurrentPrices(builder, serdes);
        ReferenceTables.addLinkCodes(builder, serdes);
        ReferenceTables.addStaffChats(builder, serdes);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BotStores.CHAT_SESSIONS),
                Serdes.String(), serdes.valueSerde(ChatSession.class)).withCachingEnabled());

        // the conversation: a chat's updates and its orders' changes, in order, with its session
        KStream<String, SpecificRecord> outputs = TypedStreams.read(builder, serdes, Topics.CHAT_EVENTS)
                .merge(TypedStreams.read(builder, serdes, Topics.CHAT_ORDER_EVENTS), Named.as("with-order-changes"))
                .process(ChatProcessor::new, Named.as("converse"), BotStores.CHAT_SESSIONS);
        TypedStreams.write(outputs, serdes, Topics.ORDER_COMMANDS, OrderCommand.class);
        TypedStreams.write(outputs, serdes, Topics.CHAT_ORDERS, ChatOrder.class);
        TypedStreams.write(outputs, serdes, Topics.NOTIFICATIONS, OutboundNotification.class);
        TypedStreams.write(outputs, serdes, Topics.FEEDBACK, Feedback.class);
        TypedStreams.write(outputs, serdes, Topics.CHAT_QUESTIONS, ChatQuestion.class);
        TypedStreams.write(outputs, serdes, Topics.TASK_REPLIES, TaskReply.class);
        TypedStreams.write(outputs, serdes, Topics.LINK_CODES, ChatLinkCode.class);
        TypedStreams.write(outputs, serdes, Topics.STAFF_CHATS, StaffChat.class);

        // the way back: an order placed from a chat tells that chat of its changes
        KTable<String, ChatOrder> chatOrders = builder.table(Topics.CHAT_ORDERS.name(),
                Consumed.with(Topics.CHAT_ORDERS.keySerde(), Topics.CHAT_ORDERS.valueSerde(serdes)).withName("read-chat-orders"),
                Materialized.as("chat-orders"));
        builder.stream(Topics.ORDER_EVENTS.name(), Consumed.with(Topics.ORDER_EVENTS.keySerde(),
                        Topics.ORDER_EVENTS.valueSerde(serdes)).withName("read-order-events"))
                .join(chatOrders, (event, chatOrder) -> new Routed(chatOrder.getChatKey(), event),
                        Joined.<String, OrderEvent, ChatOrder>as("of-chat-orders"))
                .selectKey((orderId, routed) -> routed.chatKey(), Named.as("by-chat"))
                .mapValues(Routed::event, Named.as("the-event"))
                .to(Topics.CHAT_ORDER_EVENTS.name(), TypedStreams.produced(Topics.CHAT_ORDER_EVENTS, serdes, "write-chat-order-events"));

        // staff alerts: a shop's low stock and fraud alerts to its staff chats (a global store: a few per shop)
        TypedStreams.read(builder, serdes, Topics.LOW_STOCK)
                .merge(TypedStreams.read(builder, serdes, Topics.FRAUD_ALERTS), Named.as("low-stock-and-fraud-alerts"))
                .process(StaffAlertProcessor::new, Named.as("alert-staff"))
                .to(Topics.NOTIFICATIONS.name(), TypedStreams.produced(Topics.NOTIFICATIONS, serdes, "write-staff-alerts"));
    }

    private record Routed(String chatKey, OrderEvent event) {
    }
}
