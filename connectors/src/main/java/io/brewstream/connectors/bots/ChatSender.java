package io.brewstream.connectors.bots;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.brewstream.schemas.bots.DeliveryStatus;
import io.brewstream.schemas.bots.NotificationDelivery;
import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Sends the notifications on {@code bots.notifications} through their chat platform (Telegram's Bot API, Slack's
 * Web API, Discord's HTTP API: {@link ChatPlatform}), keeping each platform's limits: messages a second per bot,
 * and per chat (Telegram: 30 a second per bot, one a second per private chat, 20 a minute per group). Each chat has
 * its own queue, so a chat that is waiting (a 429 for its {@code retry_after}, a retry after a 5xx with backoff)
 * holds up no other chat; a 429 for a whole bot (Discord's global limit) holds up that bot only. A 403 (the user
 * blocked the bot, the channel is gone) fails the notification and marks the chat inactive; a 400 fails it. Every
 * attempt's outcome is a {@code bots.deliveries} record (SENT, RETRYING, FAILED).
 *
 * <p>Nothing twice: offsets are committed only up to the oldest notification not yet finished, after its delivery
 * record is written; at start the sender reads the last hour of SENT deliveries and skips what they name. The one
 * window left is a crash between the platform's answer and the delivery record (none of the three APIs takes an
 * idempotency key).
 * A chat marked inactive stays so until the sender restarts.
 */
public final class ChatSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatSender.class);

    /** One platform the sender delivers through, and its bots' tokens by bot name. */
    public record Platform(ChatPlatform api, Map<String, String> tokens) {
    }

    /**
     * @param platforms   the platforms to send through; notifications for others are left to other senders
     * @param maxAttempts attempts before a failing notification is given up
     * @param remembered  how far back the sender reads what it already sent, at start
     */
    public record Settings(Map<Channel, Platform> platforms, int maxAttempts, Duration remembered) {
        public static Settings defaults(List<Platform> platforms) {
            Map<Channel, Platform> byChannel = new java.util.EnumMap<>(Channel.class);
            platforms.forEach(p -> byChannel.put(p.api().channel(), p));
            return new Settings(byChannel, 8, Duration.ofHours(1));
        }
    }

    /** {@code botName=token,...} (a Telegram token holds a colon: 123456:ABC...). */
    public static Map<String, String> tokens(String spec) {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.split("=", 2);
            if (parts.length != 2 || parts[1].isBlank()) {
                throw new IllegalArgumentException("bot tokens: '" + parts[0] + "=...' is not botName=token");
            }
            tokens.put(parts[0].trim(), parts[1].trim());
        }
        return tokens;
    }

    private final Settings settings;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Deserializer<OutboundNotification> notifications;
    private final Serializer<NotificationDelivery> deliveries;
    private final Thread thread;
    private volatile boolean running = true;

    // the dispatcher thread's own state
    private final Map<String, Chat> chats = new HashMap<>();
    private final Map<String, Bucket> bots = new HashMap<>();
    /** Bots paused by a 429 for the whole bot, until when. */
    private final Map<String, Instant> botsPaused = new HashMap<>();
    private final Map<TopicPartition, TreeSet<Long>> unfinished = new HashMap<>();
    private final Map<TopicPartition, Long> polled = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<String, Boolean> sent = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 200_000;
        }
    };
    private final Queue<Runnable> completions = new ConcurrentLinkedQueue<>();
    private final Map<DeliveryStatus, java.util.concurrent.atomic.LongAdder> outcomes = new java.util.EnumMap<>(
            Map.of(DeliveryStatus.SENT, new java.util.concurrent.atomic.LongAdder(),
                    DeliveryStatus.RETRYING, new java.util.concurrent.atomic.LongAdder(),
                    DeliveryStatus.FAILED, new java.util.concurrent.atomic.LongAdder()));
    private int queued;
    private final java.util.concurrent.atomic.LongAdder failures = new java.util.concurrent.atomic.LongAdder();

    public ChatSender(String bootstrapServers, AvroSerdes serdes, Settings settings) {
        this.settings = settings;
        this.notifications = Topics.NOTIFICATIONS.valueSerde(serdes).deserializer();
        this.deliveries = Topics.DELIVERIES.valueSerde(serdes).serializer();
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "brewstream-chat-sender",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200),
                new StringDeserializer(), new ByteArrayDeserializer());
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
        rememberSent(bootstrapServers, serdes);
        consumer.subscribe(List.of(Topics.NOTIFICATIONS.name()));
        thread = new Thread(this::run, "chat-sender");
        thread.setDaemon(true);
        thread.start();
    }

    /** One chat's queue and limits. */
    private static final class Chat {
        final Queue<Pending> queue = new ArrayDeque<>();
        final Bucket bucket;
        Instant notBefore = Instant.EPOCH;
        boolean busy;
        boolean inactive;

        Chat(Bucket bucket) {
            this.bucket = bucket;
        }
    }

    private record Pending(OutboundNotification notification, TopicPartition partition, long offset, int attempt) {
        Pending again() {
            return new Pending(notification, partition, offset, attempt + 1);
        }
    }

    private void run() {
        long lastCommit = System.nanoTime();
        long lastSweep = System.nanoTime();
        long backoffMillis = 0;
        try {
            while (running) {
                try {
                    if (queued < 10_000) {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                            accept(record);
                        }
                    } else {
                        TimeUnit.MILLISECONDS.sleep(20);
                    }
                    Runnable done;
                    while ((done = completions.poll()) != null) {
                        done.run();
                    }
                    dispatch();
                    if (System.nanoTime() - lastCommit > TimeUnit.MILLISECONDS.toNanos(200)) {
                        commit();
                        lastCommit = System.nanoTime();
                    }
                    if (System.nanoTime() - lastSweep > TimeUnit.MINUTES.toNanos(1)) {
                        forgetIdleChats();
                        lastSweep = System.nanoTime();
                    }
                    backoffMillis = 0;
                } catch (WakeupException | InterruptedException stopping) {
                    throw stopping;
                } catch (org.apache.kafka.common.errors.AuthorizationException
                        | org.apache.kafka.common.errors.FencedInstanceIdException fatal) {
                    throw fatal;
                } catch (RuntimeException transientFault) {
                    // a registry or broker hiccup (a schema lookup, a commit during a rebalance): the queues and
                    // what was sent are kept, and the loop goes on after a pause rather than stop for good
                    backoffMillis = Math.min(30_000, Math.max(200, backoffMillis * 2));
                    failures.increment();
                    log.warn("the chat sender hit {}; going on in {} ms", transientFault.toString(), backoffMillis,
                            transientFault);
                    TimeUnit.MILLISECONDS.sleep(backoffMillis);
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("the chat sender stopped", e);
        } finally {
            try {
                finishInFlight();
                commit();
            } finally {
                consumer.close(Duration.ofSeconds(5));
                producer.close(Duration.ofSeconds(5));
            }
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        polled.put(partition, record.offset());
        OutboundNotification notification;
        try {
            notification = record.value() == null ? null : notifications.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            log.warn("skipping an unreadable notification at {}@{}: {}", partition, record.offset(), e.toString());
            return;
        }
        if (notification == null || !settings.platforms().containsKey(notification.getChannel())
                || sent.containsKey(notification.getNotificationId())) {
            return;
        }
        unfinished.computeIfAbsent(partition, p -> new TreeSet<>()).add(record.offset());
        Pending pending = new Pending(notification, partition, record.offset(), 1);
        Platform platform = settings.platforms().get(notification.getChannel());
        if (platform.api().needsToken(notification) && !platform.tokens().containsKey(notification.getBotName())) {
            finish(pending, DeliveryStatus.FAILED, "no " + notification.getChannel() + " token for bot '"
                    + notification.getBotName() + "'");
            return;
        }
        chat(platform.api(), notification.getRecipient()).queue.add(pending);
        queued++;
    }

    private Chat chat(ChatPlatform platform, String recipient) {
        return chats.computeIfAbsent(recipient, r -> new Chat(Bucket.builder().addLimit(Bandwidth.builder().capacity(1)
                .refillGreedy(1, platform.chatInterval(chatId(r))).build()).build()));
    }

    /** The chat's id on its platform: the last part of its key (platform:bot:chat id). */
    private static String chatId(String recipient) {
        return recipient.substring(recipient.lastIndexOf(':') + 1);
    }

    private static String botKey(OutboundNotification n) {
        return n.getChannel() + ":" + n.getBotName();
    }

    /**
     * Evenly spaced (one every 1/30 s on Telegram), not a burst of 30 refilled over a second: a burst plus its
     * refill would put up to 60 messages into one second.
     */
    private Bucket bot(OutboundNotification n) {
        return bots.computeIfAbsent(botKey(n), k -> Bucket.builder().addLimit(Bandwidth.builder().capacity(1)
                .refillGreedy(1, Duration.ofSeconds(1).dividedBy(settings.platforms().get(n.getChannel()).api()
                        .botPerSecond())).build()).build());
    }

    private void dispatch() {
        Instant now = Instant.now();
        for (Map.Entry<String, Chat> entry : chats.entrySet()) {
            Chat chat = entry.getValue();
            Pending head = chat.queue.peek();
            if (head == null || chat.busy || now.isBefore(chat.notBefore)) {
                continue;
            }
            if (sent.containsKey(head.notification().getNotificationId())) {
                chat.queue.poll(); // the same notification twice on the topic: sent once
                queued--;
                done(head);
                continue;
            }
            if (chat.inactive) {
                chat.queue.poll();
                queued--;
                finish(head, DeliveryStatus.FAILED, "the chat is inactive: the bot was blocked, removed or the channel is gone");
                continue;
            }
            if (now.isBefore(botsPaused.getOrDefault(botKey(head.notification()), Instant.EPOCH))) {
                continue;
            }
            Bucket bot = bot(head.notification());
            if (bot.getAvailableTokens() < 1 || !chat.bucket.tryConsume(1)) {
                continue;
            }
            bot.tryConsume(1);
            chat.busy = true;
            send(head).thenAccept(answer -> completions.add(() -> onAnswer(chat, head, answer)));
        }
    }

    private java.util.concurrent.CompletableFuture<ChatPlatform.Outcome> send(Pending pending) {
        OutboundNotification n = pending.notification();
        Platform platform = settings.platforms().get(n.getChannel());
        try {
            return platform.api().deliver(n, chatId(n.getRecipient()), platform.tokens().get(n.getBotName()),
                    pending.attempt() == 1);
        } catch (RuntimeException e) { // a recipient the platform cannot read: no attempt will do better
            return java.util.concurrent.CompletableFuture.completedFuture(new ChatPlatform.Outcome(
                    ChatPlatform.Result.REJECTED, 0, e.toString(), null));
        }
    }

    private void onAnswer(Chat chat, Pending pending, ChatPlatform.Outcome answer) {
        chat.busy = false;
        switch (answer.result()) {
            case SENT -> {
                chat.queue.poll();
                queued--;
                sent.put(pending.notification().getNotificationId(), true);
                finish(pending, DeliveryStatus.SENT, null);
                return;
            }
            case RETRY_CHAT, RETRY_BOT -> {
                Instant until = Instant.now().plus(answer.retryAfter());
                if (answer.result() == ChatPlatform.Result.RETRY_BOT) {
                    botsPaused.put(botKey(pending.notification()), until);
                } else {
                    chat.notBefore = until;
                }
                replaceHead(chat, pending.again());
                record(pending, DeliveryStatus.RETRYING, "429, retry after " + answer.retryAfter().toMillis() + " ms"
                        + (answer.result() == ChatPlatform.Result.RETRY_BOT ? " (the whole bot)" : "") + ": "
                        + answer.description());
                return;
            }
            case BLOCKED, REJECTED -> {
                chat.queue.poll();
                queued--;
                chat.inactive |= answer.result() == ChatPlatform.Result.BLOCKED;
                finish(pending, DeliveryStatus.FAILED, answer.status() + ": " + answer.description());
                return;
            }
            case SERVER_ERROR -> {
                // below: retried with backoff until the attempts run out
            }
        }
        if (pending.attempt() >= settings.maxAttempts()) {
            chat.queue.poll();
            queued--;
            finish(pending, DeliveryStatus.FAILED, "gave up after " + pending.attempt() + " attempts: " + answer.description());
            return;
        }
        long backoff = Math.min(30_000, 500L << Math.min(10, pending.attempt() - 1));
        chat.notBefore = Instant.now().plusMillis(backoff);
        replaceHead(chat, pending.again());
        record(pending, DeliveryStatus.RETRYING, answer.description());
    }

    private static void replaceHead(Chat chat, Pending next) {
        ArrayDeque<Pending> queue = (ArrayDeque<Pending>) chat.queue;
        queue.pollFirst();
        queue.addFirst(next);
    }

    private void finish(Pending pending, DeliveryStatus status, String detail) {
        record(pending, status, detail);
        done(pending);
    }

    private void done(Pending pending) {
        TreeSet<Long> offsets = unfinished.get(pending.partition());
        if (offsets != null) {
            offsets.remove(pending.offset());
        }
    }

    private void record(Pending pending, DeliveryStatus status, String detail) {
        outcomes.get(status).increment();
        OutboundNotification n = pending.notification();
        NotificationDelivery delivery = NotificationDelivery.newBuilder().setNotificationId(n.getNotificationId())
                .setRecipient(n.getRecipient()).setStatus(status).setAttempt(pending.attempt()).setDetail(detail)
                .setAt(Instant.now()).build();
        producer.send(new ProducerRecord<>(Topics.DELIVERIES.name(), n.getNotificationId(),
                deliveries.serialize(Topics.DELIVERIES.name(), delivery)));
        if (status != DeliveryStatus.SENT) {
            log.info("notification {} to {}: {} ({})", n.getNotificationId(), n.getRecipient(), status, detail);
        }
    }

    /**
     * On the way out: waits (up to 10 s) for the answers of messages already handed to the platform and records them, so
     * a restart does not send them again.
     */
    private void finishInFlight() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (chats.values().stream().anyMatch(c -> c.busy) && System.nanoTime() < deadline) {
            Runnable done;
            while ((done = completions.poll()) != null) {
                done.run();
            }
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Runnable done;
        while ((done = completions.poll()) != null) {
            done.run();
        }
    }

    /** Chats with nothing queued, nothing in flight and no pause pending are forgotten (inactive ones are kept). */
    private void forgetIdleChats() {
        Instant now = Instant.now();
        chats.values().removeIf(c -> c.queue.isEmpty() && !c.busy && !c.inactive && !now.isBefore(c.notBefore));
    }

    /** Offsets up to the oldest unfinished notification of each partition, once the delivery records are written. */
    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> entry : polled.entrySet()) {
            TreeSet<Long> open = unfinished.get(entry.getKey());
            long next = open == null || open.isEmpty() ? entry.getValue() + 1 : open.first();
            if (!Long.valueOf(next).equals(committed.get(entry.getKey()))) {
                offsets.put(entry.getKey(), new OffsetAndMetadata(next));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        producer.flush();
        consumer.commitSync(offsets);
        offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
    }

    /** The notifications SENT within the remembered window, read back from bots.deliveries. */
    private void rememberSent(String bootstrapServers, AvroSerdes serdes) {
        Deserializer<NotificationDelivery> reader = Topics.DELIVERIES.valueSerde(serdes).deserializer();
        try (KafkaConsumer<String, byte[]> history = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = history.partitionsFor(Topics.DELIVERIES.name(), Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            history.assign(partitions);
            long since = Instant.now().minus(settings.remembered()).toEpochMilli();
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, since));
            Map<TopicPartition, OffsetAndTimestamp> starts = history.offsetsForTimes(times);
            Map<TopicPartition, Long> ends = history.endOffsets(partitions);
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp start = starts.get(p);
                history.seek(p, start == null ? ends.get(p) : start.offset());
            }
            while (partitions.stream().anyMatch(p -> history.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record : history.poll(Duration.ofMillis(200))) {
                    NotificationDelivery delivery = reader.deserialize(record.topic(), record.value());
                    if (delivery != null && delivery.getStatus() == DeliveryStatus.SENT) {
                        sent.put(delivery.getNotificationId(), true);
                    }
                }
            }
        }
        log.info("chat sender starts knowing {} notifications sent in the last {}", sent.size(), settings.remembered());
    }

    /** Attempts so far with this outcome, for metrics. */
    public long count(DeliveryStatus status) {
        return outcomes.get(status).sum();
    }

    /** Faults the loop went on after (a registry or broker hiccup), for metrics and tests. */
    public long faults() {
        return failures.sum();
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(15_000);
    }
}
