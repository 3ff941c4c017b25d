package io.brewstream.schemas.topics;

import static io.brewstream.schemas.topics.CleanupPolicy.COMPACT;
import static io.brewstream.schemas.topics.CleanupPolicy.DELETE;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;

import io.brewstream.schemas.agents.AgentCard;
import io.brewstream.schemas.agents.AgentHeartbeat;
import io.brewstream.schemas.agents.AgentResult;
import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.agents.ConversationMessage;
import io.brewstream.schemas.agents.TaskCommand;
import io.brewstream.schemas.agents.TaskEvent;
import io.brewstream.schemas.agents.TaskReply;
import io.brewstream.schemas.arbitrage.ArbitrageOpportunity;
import io.brewstream.schemas.arbitrage.BookUpdate;
import io.brewstream.schemas.arbitrage.ExchangeFees;
import io.brewstream.schemas.arbitrage.WithdrawalFee;
import io.brewstream.schemas.arbitrage.Quote;
import io.brewstream.schemas.backoffice.OutboxEvent;
import io.brewstream.schemas.bots.ChatEvent;
import io.brewstream.schemas.bots.ChatLinkCode;
import io.brewstream.schemas.bots.ChatMessage;
import io.brewstream.schemas.bots.ChatOrder;
import io.brewstream.schemas.bots.ChatQuestion;
import io.brewstream.schemas.bots.NotificationDelivery;
import io.brewstream.schemas.bots.Feedback;
import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.bots.StaffChat;
import io.brewstream.schemas.common.DeadLetter;
import io.brewstream.schemas.common.DeadLetterReplay;
import io.brewstream.schemas.fraud.Chargeback;
import io.brewstream.schemas.fraud.CustomerRisk;
import io.brewstream.schemas.fraud.DenyListEntry;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.schemas.fraud.FraudSignal;
import io.brewstream.schemas.inventory.LowStock;
import io.brewstream.schemas.inventory.Recipe;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.inventory.StockLevel;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.payments.ChainCheckpoint;
import io.brewstream.schemas.payments.ChainPayment;
import io.brewstream.schemas.payments.ExchangeRate;
import io.brewstream.schemas.payments.Invoice;
import io.brewstream.schemas.payments.InvoiceRequest;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.payments.Refund;
import io.brewstream.schemas.pricing.PriceChange;
import io.brewstream.schemas.reference.Customer;
import io.brewstream.schemas.reference.MenuItem;
import io.brewstream.schemas.reference.Shop;

/**
 * Every topic of brewstream, in one place. Modules refer to these constants; no topic name is spelled
 * anywhere else. Topics keyed by order id share one partition count so they stay co-partitioned.
 */
public final class Topics {
    /** Partitions of topics keyed by order id, which the orders topology reads together. */
    public static final int ORDER_PARTITIONS = 6;
    private static final int DEFAULT_PARTITIONS = 3;
    private static final int REFERENCE_PARTITIONS = 1;

    // orders
    public static final Topic<OrderCommand> ORDER_COMMANDS =
            orderTopic("orders.commands", OrderCommand.class, ORDER_PARTITIONS, DELETE);
    public static final Topic<OrderEvent> ORDER_EVENTS =
            orderTopic("orders.events", OrderEvent.class, ORDER_PARTITIONS, DELETE);
    public static final Topic<ValidationResult> ORDER_VALIDATIONS =
            orderTopic("orders.validations", ValidationResult.class, ORDER_PARTITIONS, DELETE);

    // payments
    public static final Topic<PaymentReceived> PAYMENTS =
            orderTopic("payments.received", PaymentReceived.class, ORDER_PARTITIONS, DELETE);
    public static final Topic<Refund> REFUNDS =
            orderTopic("payments.refunds", Refund.class, ORDER_PARTITIONS, DELETE);
    /** A customer asks to pay in crypto; the invoice topology prices the invoice from the order. */
    public static final Topic<InvoiceRequest> INVOICE_REQUESTS =
            orderTopic("payments.invoice-requests", InvoiceRequest.class, ORDER_PARTITIONS, DELETE);
    /** Every invoice as it changes; the chain watcher reads the deposit addresses to watch from it. */
    public static final Topic<Invoice> INVOICES =
            topic("payments.invoices", Invoice.class, ORDER_PARTITIONS, COMPACT, "invoice id");
    /** Transfers to deposit addresses, from the chain watcher, keyed like the invoice topology's shop tasks. */
    public static final Topic<ChainPayment> CHAIN_PAYMENTS =
            topic("payments.chain-payments", ChainPayment.class, ORDER_PARTITIONS, DELETE, "shop id");
    /** How far the chain watcher has read each chain, written with what it found there. */
    public static final Topic<ChainCheckpoint> CHAIN_CHECKPOINTS =
            topic("payments.chain-checkpoints", ChainCheckpoint.class, REFERENCE_PARTITIONS, COMPACT, "chain id");
    /**
     * The chain watcher's payments still within the reorganisation window, one record each (a tombstone once final
     * or reverted), written in the same transaction as its checkpoint: however many a block holds, no record is big.
     */
    public static final Topic<ChainPayment> CHAIN_OPEN_PAYMENTS =
            topic("payments.chain-open-payments", ChainPayment.class, REFERENCE_PARTITIONS, COMPACT, "payment id");
    /** Exchange rates of crypto assets, for pricing invoices. */
    public static final Topic<ExchangeRate> EXCHANGE_RATES =
            topic("payments.exchange-rates", ExchangeRate.class, REFERENCE_PARTITIONS, COMPACT, "ASSET/CURRENCY");

    // inventory
    public static final Topic<StockLevel> STOCK_LEVELS =
            topic("inventory.stock-levels", StockLevel.class, DEFAULT_PARTITIONS, COMPACT, "shopId:ingredientId");
    public static final Topic<StockDelivery> STOCK_DELIVERIES =
            shopValueTopic("inventory.deliveries", StockDelivery.class, ORDER_PARTITIONS, COMPACT, "delivery id",
                    StockDelivery::getShopId);
    public static final Topic<Recipe> RECIPES =
            topic("inventory.recipes", Recipe.class, REFERENCE_PARTITIONS, COMPACT, "menu item id");
    public static final Topic<LowStock> LOW_STOCK =
            topic("inventory.low-stock", LowStock.class, DEFAULT_PARTITIONS, DELETE, "shop id");

    // fraud
    public static final Topic<FraudScore> FRAUD_SCORES =
            orderTopic("fraud.scores", FraudScore.class, ORDER_PARTITIONS, DELETE);
    public static final Topic<FraudScore> FRAUD_ALERTS =
            orderTopic("fraud.alerts", FraudScore.class, DEFAULT_PARTITIONS, DELETE);
    public static final Topic<FraudSignal> FRAUD_SIGNALS =
            orderTopic("fraud.signals", FraudSignal.class, ORDER_PARTITIONS, DELETE);
    /**
     * What each orders partition knows of a customer (its share of the customer's risk profile), written by the
     * orders task that scored an order: read whole by every orders task as a global store, folded into customer,
     * device and IP profiles (fraud in the orders task). Compacted: each share's latest state is what counts.
     */
    public static final Topic<CustomerRisk> FRAUD_ACTIVITY =
            topic("fraud.activity", CustomerRisk.class, DEFAULT_PARTITIONS, COMPACT, "customerId:orders partition");
    public static final Topic<DenyListEntry> DENY_LIST =
            topic("fraud.deny-list", DenyListEntry.class, REFERENCE_PARTITIONS, COMPACT, "kind:value");
    public static final Topic<Chargeback> CHARGEBACKS =
            topic("fraud.chargebacks", Chargeback.class, DEFAULT_PARTITIONS, DELETE, "customer id");

    // pricing
    public static final Topic<PriceChange> PRICE_CHANGES =
            topic("pricing.changes", PriceChange.class, DEFAULT_PARTITIONS, COMPACT, "shopId:menuItemId");

    // arbitrage
    public static final Topic<Quote> QUOTES =
            topic("arbitrage.quotes", Quote.class, DEFAULT_PARTITIONS, DELETE, "trading pair");
    /** Order book snapshots and deltas per venue, from feed adapters (an HTTP route or straight to Kafka). */
    public static final Topic<BookUpdate> BOOK_UPDATES =
            topic("arbitrage.book-updates", BookUpdate.class, DEFAULT_PARTITIONS, DELETE, "trading pair");
    public static final Topic<ExchangeFees> EXCHANGE_FEES =
            topic("arbitrage.exchange-fees", ExchangeFees.class, REFERENCE_PARTITIONS, COMPACT, "exchange id");
    /** Withdrawal fee and transfer time per exchange, asset and network, from the operational database by CDC. */
    public static final Topic<WithdrawalFee> WITHDRAWAL_FEES =
            topic("arbitrage.withdrawal-fees", WithdrawalFee.class, REFERENCE_PARTITIONS, COMPACT, "exchange|asset|network");
    public static final Topic<ArbitrageOpportunity> ARBITRAGE_OPPORTUNITIES =
            topic("arbitrage.opportunities", ArbitrageOpportunity.class, DEFAULT_PARTITIONS, DELETE, "trading pair");

    // AI agents
    public static final Topic<AgentHeartbeat> AGENT_HEARTBEATS =
            topic("agents.heartbeats", AgentHeartbeat.class, DEFAULT_PARTITIONS, DELETE, "agent id");
    public static final Topic<AgentTask> AGENT_TASKS =
            topic("agents.tasks", AgentTask.class, DEFAULT_PARTITIONS, DELETE, "task id");
    public static final Topic<AgentResult> AGENT_RESULTS =
            topic("agents.results", AgentResult.class, DEFAULT_PARTITIONS, DELETE, "task id");
    public static final Topic<ConversationMessage> AGENT_CONVERSATIONS =
            topic("agents.conversations", ConversationMessage.class, DEFAULT_PARTITIONS, DELETE, "conversation id");
    /** Agents' A2A cards with their instance id, heartbeat period and concurrency; a tombstone retires one. */
    public static final Topic<AgentCard> AGENT_CARDS =
            topic("agents.cards", AgentCard.class, REFERENCE_PARTITIONS, COMPACT, "agent id");
    /** Submissions, cancellations and agents' updates of A2A tasks, for the router. */
    public static final Topic<TaskCommand> TASK_COMMANDS =
            topic("agents.task-commands", TaskCommand.class, DEFAULT_PARTITIONS, DELETE, "task id");
    /** Every change of every A2A task, numbered per task. */
    public static final Topic<TaskEvent> TASK_EVENTS =
            topic("agents.task-events", TaskEvent.class, DEFAULT_PARTITIONS, DELETE, "task id");
    /** People's answers to tasks that asked for input, from staff chats, named by the question's answer code. */
    public static final Topic<TaskReply> TASK_REPLIES =
            topic("agents.replies", TaskReply.class, DEFAULT_PARTITIONS, DELETE, "answer code");

    // bots
    /** What people do in chats with our bots, one record for Telegram, Slack and Discord. */
    public static final Topic<ChatEvent> CHAT_EVENTS =
            topic("bots.chat-events", ChatEvent.class, DEFAULT_PARTITIONS, DELETE, "chat key (platform:bot:chat id)");
    /** One-time link codes; the bots topology reads them as a global store and tombstones a used one. */
    public static final Topic<ChatLinkCode> LINK_CODES =
            topic("bots.link-codes", ChatLinkCode.class, REFERENCE_PARTITIONS, COMPACT, "link code");
    /** Orders placed from chats, keyed by order id like orders.events, so the two meet in one task. */
    public static final Topic<ChatOrder> CHAT_ORDERS =
            orderTopic("bots.chat-orders", ChatOrder.class, ORDER_PARTITIONS, COMPACT);
    /** Changes of chat-placed orders, re-keyed to their chat, partitioned like bots.chat-events. */
    public static final Topic<OrderEvent> CHAT_ORDER_EVENTS =
            topic("bots.chat-order-events", OrderEvent.class, DEFAULT_PARTITIONS, DELETE, "chat key (platform:bot:chat id)");
    /** The chats that receive each shop's staff alerts; the bots topology reads them as a global store. */
    public static final Topic<StaffChat> STAFF_CHATS =
            topic("bots.staff-chats", StaffChat.class, REFERENCE_PARTITIONS, COMPACT, "shopId:chatKey");
    public static final Topic<NotificationDelivery> DELIVERIES =
            topic("bots.deliveries", NotificationDelivery.class, DEFAULT_PARTITIONS, DELETE, "notification id");
    public static final Topic<ChatMessage> CHAT_MESSAGES =
            topic("bots.chat-messages", ChatMessage.class, DEFAULT_PARTITIONS, DELETE, "conversation id");
    public static final Topic<Feedback> FEEDBACK =
            topic("bots.feedback", Feedback.class, DEFAULT_PARTITIONS, DELETE, "shop id");
    /** Customers' questions in chats, for the shop assistant agent. */
    public static final Topic<ChatQuestion> CHAT_QUESTIONS =
            topic("bots.questions", ChatQuestion.class, DEFAULT_PARTITIONS, DELETE, "shop id");
    public static final Topic<OutboundNotification> NOTIFICATIONS =
            topic("bots.notifications", OutboundNotification.class, DEFAULT_PARTITIONS, DELETE, "recipient");

    // reference data
    public static final Topic<Shop> SHOPS =
            topic("reference.shops", Shop.class, REFERENCE_PARTITIONS, COMPACT, "shop id");
    public static final Topic<MenuItem> MENU_ITEMS =
            topic("reference.menu-items", MenuItem.class, REFERENCE_PARTITIONS, COMPACT, "menu item id");
    public static final Topic<Customer> CUSTOMERS =
            topic("reference.customers", Customer.class, DEFAULT_PARTITIONS, COMPACT, "customer id");

    // back office: the outbox table of the operational database, routed by aggregate type
    /** Outbox events go to this prefix plus their aggregate type; an aggregate type without a topic here is refused. */
    public static final String OUTBOX_TOPIC_PREFIX = "outbox.";
    public static final Topic<OutboxEvent> OUTBOX_PROMOTIONS =
            topic(OUTBOX_TOPIC_PREFIX + "promotion", OutboxEvent.class, DEFAULT_PARTITIONS, DELETE, "promotion id");
    public static final Topic<OutboxEvent> OUTBOX_SHOPS =
            topic(OUTBOX_TOPIC_PREFIX + "shop", OutboxEvent.class, DEFAULT_PARTITIONS, DELETE, "shop id");
    /** Every outbox event once, whatever the connector redelivered. */
    public static final Topic<OutboxEvent> BACKOFFICE_EVENTS =
            topic("backoffice.events", OutboxEvent.class, DEFAULT_PARTITIONS, DELETE, "aggregate id");

    // failures
    public static final Topic<DeadLetter> DEAD_LETTERS =
            topic("dead-letters", DeadLetter.class, DEFAULT_PARTITIONS, DELETE, "source topic");
    /** Dead letters written back to their topics ({@code brewstream dead-letters replay}), each once. */
    public static final Topic<DeadLetterReplay> DEAD_LETTER_REPLAYS =
            topic("dead-letters.replays", DeadLetterReplay.class, REFERENCE_PARTITIONS, COMPACT, "dead letter id (partition:offset)");

    private static final List<Topic<?>> ALL = List.of(
            ORDER_COMMANDS, ORDER_EVENTS, ORDER_VALIDATIONS,
            PAYMENTS, REFUNDS, INVOICE_REQUESTS, INVOICES, CHAIN_PAYMENTS, CHAIN_CHECKPOINTS, CHAIN_OPEN_PAYMENTS, EXCHANGE_RATES,
            STOCK_LEVELS, STOCK_DELIVERIES, RECIPES, LOW_STOCK,
            FRAUD_SCORES, FRAUD_ALERTS, FRAUD_SIGNALS, FRAUD_ACTIVITY, DENY_LIST, CHARGEBACKS,
            PRICE_CHANGES,
            QUOTES, BOOK_UPDATES, EXCHANGE_FEES, WITHDRAWAL_FEES, ARBITRAGE_OPPORTUNITIES,
            AGENT_HEARTBEATS, AGENT_TASKS, AGENT_RESULTS, AGENT_CONVERSATIONS, AGENT_CARDS, TASK_COMMANDS, TASK_EVENTS, TASK_REPLIES,
            CHAT_EVENTS, LINK_CODES, STAFF_CHATS, CHAT_ORDERS, CHAT_ORDER_EVENTS, CHAT_MESSAGES, FEEDBACK, CHAT_QUESTIONS, NOTIFICATIONS,
            DELIVERIES,
            SHOPS, MENU_ITEMS, CUSTOMERS,
            OUTBOX_PROMOTIONS, OUTBOX_SHOPS, BACKOFFICE_EVENTS,
            DEAD_LETTERS, DEAD_LETTER_REPLAYS);
    private static final List<Topic<OutboxEvent>> OUTBOX = List.of(OUTBOX_PROMOTIONS, OUTBOX_SHOPS);
    /**
     * What an audit of the money and the orders needs, kept for {@link TopicSettings#auditRetention()}: the commands
     * and the events of every order, payments, refunds, on-chain transfers, fraud scores and chargebacks.
     */
    private static final List<Topic<?>> AUDITED = List.of(ORDER_COMMANDS, ORDER_EVENTS, PAYMENTS, REFUNDS,
            CHAIN_PAYMENTS, FRAUD_SCORES, CHARGEBACKS);

    private Topics() {
    }

    public static List<Topic<?>> all() {
        return ALL;
    }

    /** The topics the outbox routes to, one per aggregate type. */
    public static List<Topic<OutboxEvent>> outbox() {
        return OUTBOX;
    }

    /** Whether the topic is kept for the audit retention. */
    public static boolean audited(Topic<?> topic) {
        return AUDITED.contains(topic);
    }

    /** The topic of that name, if it is one of ours. */
    public static Optional<Topic<?>> named(String topicName) {
        return ALL.stream().filter(t -> t.name().equals(topicName)).findFirst();
    }

    /** The outbox topic of that name, if the registry has one. */
    public static Optional<Topic<OutboxEvent>> outboxTopic(String topicName) {
        return OUTBOX.stream().filter(t -> t.name().equals(topicName)).findFirst();
    }

    private static <V extends SpecificRecord> Topic<V> topic(String name, Class<V> valueType, int partitions,
            CleanupPolicy cleanup, String key) {
        return new Topic<>(name, valueType, partitions, cleanup, key, KeyPartitioning.BY_KEY);
    }

    /** A topic keyed by something other than its shop, partitioned by the shop its values name. */
    private static <V extends SpecificRecord> Topic<V> shopValueTopic(String name, Class<V> valueType, int partitions,
            CleanupPolicy cleanup, String key, Function<V, String> shopOf) {
        return new Topic<>(name, valueType, partitions, cleanup, key, KeyPartitioning.BY_SHOP_OF_VALUE, shopOf);
    }

    /** A topic keyed by order id, partitioned by the order's shop. */
    private static <V extends SpecificRecord> Topic<V> orderTopic(String name, Class<V> valueType, int partitions,
            CleanupPolicy cleanup) {
        return new Topic<>(name, valueType, partitions, cleanup, "order id", KeyPartitioning.BY_SHOP);
    }
}
