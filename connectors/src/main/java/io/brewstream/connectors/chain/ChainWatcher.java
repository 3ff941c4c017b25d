package io.brewstream.connectors.chain;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

import io.brewstream.schemas.common.CryptoAmount;
import io.brewstream.schemas.payments.BlockRef;
import io.brewstream.schemas.payments.ChainCheckpoint;
import io.brewstream.schemas.payments.ChainPayment;
import io.brewstream.schemas.payments.ChainPaymentStatus;
import io.brewstream.schemas.payments.CryptoTransfer;
import io.brewstream.schemas.payments.Invoice;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/**
 * Turns transfers to invoices' deposit addresses into {@code payments.chain-payments}, on web3j over a node's
 * JSON-RPC, HTTP or WebSocket (a real external node, or anvil locally).
 *
 * <p>Each round: the invoices to watch are read from {@code payments.invoices} (deposit address → invoice; a
 * new address is also looked for in the blocks of the reorganisation window already read, for it may have been paid
 * before the invoice reached the watcher); the tip the watcher last read is checked against the chain, walking back while its hashes differ (a reorganisation:
 * payments in the orphaned blocks are REVERTED); then new heads are read forward, each block's parent hash checked
 * against the block before it. In each block, native ETH transfers are its successful transactions to a deposit
 * address (the receipt's status), and ERC-20 payments are {@code Transfer} logs of that very block (asked by block
 * hash) from the configured token contracts only. Confirmations of open payments are recounted on each head; at
 * the configured number a payment is CONFIRMED. A payment's id is its chain, transaction hash and log index.
 *
 * <p>Exactly once across restarts: the round's payments, the new checkpoint (last block, recent block hashes) and
 * the changes of its open payments (one compacted record each, a tombstone once final) are written in one Kafka
 * transaction; at start the watcher resumes from the checkpoint and the open payments.
 */
public final class ChainWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChainWatcher.class);
    /** keccak256("Transfer(address,address,uint256)"), EIP-20's event. */
    static final String TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

    /** An ERC-20 token the shops take: its symbol, contract and decimals. */
    public record Token(String symbol, String contract, int decimals) {
        public Token {
            contract = contract.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param confirmations blocks on top of a payment's block, counting its own, before it counts (1: in a block)
     * @param reorgWindow   how many recent blocks are kept to find a fork (and open payments recounted)
     * @param startBlock    where a chain never read before starts: empty, at its head
     */
    public record Settings(String rpcUrl, long chainId, int confirmations, List<Token> tokens, Duration pollInterval,
            int reorgWindow, int maxBlocksPerRound, Optional<Long> startBlock) {
        public static Settings of(String rpcUrl, long chainId, int confirmations, List<Token> tokens) {
            return new Settings(rpcUrl, chainId, confirmations, tokens, Duration.ofMillis(200), 64, 200, Optional.empty());
        }

        public Settings startingAt(long block) {
            return new Settings(rpcUrl, chainId, confirmations, tokens, pollInterval, reorgWindow, maxBlocksPerRound,
                    Optional.of(block));
        }
    }

    /** How far before a new invoice's creation its address is looked for: the node's and our clocks may differ. */
    private static final Duration RESCAN_CLOCK_SLACK = Duration.ofMinutes(1);
    private final Settings settings;
    private final Web3j web3j;
    private final KafkaConsumer<String, byte[]> invoices;
    private final KafkaProducer<String, byte[]> producer;
    private final Deserializer<Invoice> invoiceReader;
    /** Made once and reused: each new Apicurio serializer resolves its schema in the registry again. */
    private final org.apache.kafka.common.serialization.Serializer<ChainPayment> paymentWriter;
    private final org.apache.kafka.common.serialization.Serializer<ChainPayment> openPaymentWriter;
    private final org.apache.kafka.common.serialization.Serializer<ChainCheckpoint> checkpointWriter;
    private final AvroSerdes serdes;
    private final Map<String, Token> tokensByContract = new HashMap<>();
    /** Deposit address (lower case) → the invoice watched there. */
    private final Map<String, Invoice> watched = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long lastBlock = -1;
    private ChainCheckpoint checkpoint;
    /** Payments within the reorganisation window, by payment id, as last written. */
    private final Map<String, ChainPayment> openPayments = new LinkedHashMap<>();

    public ChainWatcher(String bootstrapServers, AvroSerdes serdes, Settings settings) {
        this.settings = settings;
        this.serdes = serdes;
        settings.tokens().forEach(t -> tokensByContract.put(t.contract(), t));
        this.web3j = Web3j.build(service(settings.rpcUrl()));
        this.invoiceReader = Topics.INVOICES.valueSerde(serdes).deserializer();
        this.paymentWriter = Topics.CHAIN_PAYMENTS.valueSerde(serdes).serializer();
        this.openPaymentWriter = Topics.CHAIN_OPEN_PAYMENTS.valueSerde(serdes).serializer();
        this.checkpointWriter = Topics.CHAIN_CHECKPOINTS.valueSerde(serdes).serializer();
        this.invoices = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "brewstream-chain-watcher-" + settings.chainId(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
        thread = new Thread(this::run, "chain-watcher-" + settings.chainId());
        thread.setDaemon(true);
        thread.start();
    }

    /** JSON-RPC over HTTP(S), or over a WebSocket for a {@code ws://} or {@code wss://} URL. */
    static org.web3j.protocol.Web3jService service(String rpcUrl) {
        if (rpcUrl.startsWith("ws://") || rpcUrl.startsWith("wss://")) {
            org.web3j.protocol.websocket.WebSocketService socket = new org.web3j.protocol.websocket.WebSocketService(rpcUrl, false);
            try {
                socket.connect();
            } catch (java.net.ConnectException e) {
                throw new IllegalStateException("cannot open the node's WebSocket " + rpcUrl + ": " + e.getMessage(), e);
            }
            return socket;
        }
        return new HttpService(rpcUrl);
    }

    private void run() {
        try {
            long chainId = web3j.ethChainId().send().getChainId().longValue();
            if (chainId != settings.chainId()) {
                throw new IllegalStateException("the node at " + settings.rpcUrl() + " serves chain " + chainId
                        + ", not the configured " + settings.chainId());
            }
            // fences any older watcher of this chain, and aborts what it left open
            producer.initTransactions();
            checkpoint = readCheckpoint();
            List<TopicPartition> partitions = invoices.partitionsFor(Topics.INVOICES.name(), Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            invoices.assign(partitions);
            invoices.seekToBeginning(partitions);
            while (running) {
                long started = System.nanoTime();
                round(readInvoices(partitions));
                long rest = settings.pollInterval().toNanos() - (System.nanoTime() - started);
                if (rest > 0) {
                    TimeUnit.NANOSECONDS.sleep(rest);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = e;
            log.error("the chain watcher of chain {} stopped", settings.chainId(), e);
        } finally {
            invoices.close(Duration.ofSeconds(5));
            producer.close(Duration.ofSeconds(5));
            web3j.shutdown();
        }
    }

    /**
     * The invoices topic read to its end: deposit addresses of this chain still within their monitoring window.
     * Returns the addresses watched from now on that were not before.
     */
    private Map<String, Invoice> readInvoices(List<TopicPartition> partitions) {
        Map<String, Invoice> learned = new HashMap<>();
        Map<TopicPartition, Long> ends = invoices.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> invoices.position(p) < ends.get(p))) {
            for (ConsumerRecord<String, byte[]> record : invoices.poll(Duration.ofMillis(100))) {
                Invoice invoice = record.value() == null ? null : invoiceReader.deserialize(record.topic(), record.value());
                if (invoice == null || invoice.getDepositAddress() == null || invoice.getChainId() != settings.chainId()) {
                    continue;
                }
                String address = invoice.getDepositAddress().toLowerCase(Locale.ROOT);
                if (watched.put(address, invoice) == null) {
                    learned.put(address, invoice);
                }
            }
        }
        Instant now = Instant.now();
        watched.values().removeIf(i -> i.getMonitorUntil().isBefore(now));
        learned.values().removeIf(i -> i.getMonitorUntil().isBefore(now));
        return learned;
    }

    private ChainCheckpoint readCheckpoint() throws IOException {
        Deserializer<ChainCheckpoint> reader = Topics.CHAIN_CHECKPOINTS.valueSerde(serdes).deserializer();
        String key = Long.toString(settings.chainId());
        ChainCheckpoint found = null;
        List<TopicPartition> partitions = invoices.partitionsFor(Topics.CHAIN_CHECKPOINTS.name(), Duration.ofSeconds(10))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        invoices.assign(partitions);
        invoices.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = invoices.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> invoices.position(p) < ends.get(p))) {
            for (ConsumerRecord<String, byte[]> record : invoices.poll(Duration.ofMillis(100))) {
                if (key.equals(record.key()) && record.value() != null) {
                    found = reader.deserialize(record.topic(), record.value());
                }
            }
        }
        readOpenPayments();
        if (found != null) {
            log.info("chain {}: resuming after block {} ({} payments open)", settings.chainId(), found.getBlockNumber(),
                    openPayments.size());
            return found;
        }
        long start = settings.startBlock().orElse(web3j.ethBlockNumber().send().getBlockNumber().longValue());
        log.info("chain {}: never read before, starting at block {}", settings.chainId(), start);
        return ChainCheckpoint.newBuilder().setChainId(settings.chainId()).setBlockNumber(start - 1).setBlockHash("")
                .setRecentBlocks(new ArrayList<>()).setUpdatedAt(Instant.now()).build();
    }

    /** This chain's open payments, from their compacted topic (a tombstone removes one). */
    private void readOpenPayments() {
        Deserializer<ChainPayment> reader = Topics.CHAIN_OPEN_PAYMENTS.valueSerde(serdes).deserializer();
        String prefix = settings.chainId() + ":";
        List<TopicPartition> partitions = invoices.partitionsFor(Topics.CHAIN_OPEN_PAYMENTS.name(), Duration.ofSeconds(10))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        invoices.assign(partitions);
        invoices.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = invoices.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> invoices.position(p) < ends.get(p))) {
            for (ConsumerRecord<String, byte[]> record : invoices.poll(Duration.ofMillis(100))) {
                if (record.key() == null || !record.key().startsWith(prefix)) {
                    continue;
                }
                if (record.value() == null) {
                    openPayments.remove(record.key());
                } else {
                    openPayments.put(record.key(), reader.deserialize(record.topic(), record.value()));
                }
            }
        }
    }

    /** One round: reorganisations found, new blocks read, confirmations recounted, all written in one transaction. */
    private void round(Map<String, Invoice> learned) throws IOException {
        List<ChainPayment> events = new ArrayList<>();
        List<BlockRef> recent = new ArrayList<>(checkpoint.getRecentBlocks());
        Map<String, ChainPayment> open = new LinkedHashMap<>(openPayments);
        long last = checkpoint.getBlockNumber();
        Instant now = Instant.now();

        // the tip we read last, still on the chain? walk back while its hash differs: those blocks were orphaned
        while (!recent.isEmpty()) {
            BlockRef tip = recent.get(recent.size() - 1);
            EthBlock.Block onChain = block(tip.getNumber(), false);
            if (onChain != null && onChain.getHash().equalsIgnoreCase(tip.getHash())) {
                break;
            }
            log.warn("chain {}: block {} ({}) left the chain: a reorganisation", settings.chainId(), tip.getNumber(),
                    tip.getHash());
            recent.remove(recent.size() - 1);
            for (ChainPayment payment : new ArrayList<>(open.values())) {
                if (payment.getTransfer().getBlockHash().equalsIgnoreCase(tip.getHash())) {
                    open.remove(payment.getPaymentId());
                    events.add(with(payment, ChainPaymentStatus.REVERTED, payment.getTransfer().getConfirmations(), now));
                }
            }
            last = tip.getNumber() - 1;
        }

        // an address learned now may have been paid in a block already read: the invoice reaches this watcher
        // through a topic, a moment after the customer can see it (and pay). The blocks of the reorganisation
        // window made since the oldest new invoice (less a minute for clocks) are read again, newest first, for
        // the new addresses only (no payment to them can have been written before); usually none or one block.
        if (!learned.isEmpty()) {
            long since = learned.values().stream().mapToLong(i -> i.getCreatedAt().getEpochSecond()).min().getAsLong()
                    - RESCAN_CLOCK_SLACK.toSeconds();
            for (int i = recent.size() - 1; i >= 0; i--) {
                BlockRef ref = recent.get(i);
                EthBlock.Block block = block(ref.getNumber(), true);
                if (block == null || !block.getHash().equalsIgnoreCase(ref.getHash())) {
                    break; // the chain changed under us: the next round walks back
                }
                if (block.getTimestamp().longValue() < since) {
                    break; // made before any of the new invoices: nobody could pay them there
                }
                for (ChainPayment payment : scan(block, now, learned)) {
                    if (open.putIfAbsent(payment.getPaymentId(), payment) == null) {
                        events.add(payment);
                    }
                }
            }
        }

        // new heads, forward from there
        long head = web3j.ethBlockNumber().send().getBlockNumber().longValue();
        for (long number = last + 1; number <= head && number <= last + settings.maxBlocksPerRound(); number++) {
            EthBlock.Block block = block(number, true);
            if (block == null) {
                break;
            }
            if (!recent.isEmpty() && !block.getParentHash().equalsIgnoreCase(recent.get(recent.size() - 1).getHash())) {
                break; // the chain changed under us: the next round walks back
            }
            for (ChainPayment payment : scan(block, now, watched)) {
                if (open.putIfAbsent(payment.getPaymentId(), payment) == null) {
                    events.add(payment);
                }
            }
            recent.add(BlockRef.newBuilder().setNumber(number).setHash(block.getHash()).build());
            if (recent.size() > settings.reorgWindow()) {
                recent.remove(0);
            }
        }
        long tipNumber = recent.isEmpty() ? last : recent.get(recent.size() - 1).getNumber();

        // confirmations recounted on the new head; payments older than the window are final and leave the list
        for (ChainPayment payment : new ArrayList<>(open.values())) {
            int confirmations = (int) Math.max(0, tipNumber - payment.getTransfer().getBlockNumber() + 1);
            if (confirmations != payment.getTransfer().getConfirmations()) {
                ChainPaymentStatus status = confirmations >= settings.confirmations() ? ChainPaymentStatus.CONFIRMED
                        : ChainPaymentStatus.SEEN;
                if (status != payment.getStatus() || status == ChainPaymentStatus.SEEN) {
                    ChainPayment updated = with(payment, status, confirmations, now);
                    events.add(updated);
                    payment = updated;
                } else {
                    payment = with(payment, status, confirmations, payment.getObservedAt());
                }
                open.put(payment.getPaymentId(), payment);
            }
            if (payment.getStatus() == ChainPaymentStatus.CONFIRMED
                    && tipNumber - payment.getTransfer().getBlockNumber() >= settings.reorgWindow()) {
                open.remove(payment.getPaymentId());
            }
        }

        if (events.isEmpty() && tipNumber == checkpoint.getBlockNumber()) {
            lastBlock = tipNumber;
            return;
        }
        ChainCheckpoint next = ChainCheckpoint.newBuilder().setChainId(settings.chainId()).setBlockNumber(tipNumber)
                .setBlockHash(recent.isEmpty() ? "" : recent.get(recent.size() - 1).getHash()).setRecentBlocks(recent)
                .setUpdatedAt(now).build();
        producer.beginTransaction();
        try {
            for (ChainPayment event : events) {
                producer.send(new ProducerRecord<>(Topics.CHAIN_PAYMENTS.name(), event.getShopId(),
                        paymentWriter.serialize(Topics.CHAIN_PAYMENTS.name(), event)));
            }
            // the open payments that changed, and tombstones for those that left the window or the chain
            for (Map.Entry<String, ChainPayment> entry : open.entrySet()) {
                if (!entry.getValue().equals(openPayments.get(entry.getKey()))) {
                    producer.send(new ProducerRecord<>(Topics.CHAIN_OPEN_PAYMENTS.name(), entry.getKey(),
                            openPaymentWriter.serialize(Topics.CHAIN_OPEN_PAYMENTS.name(), entry.getValue())));
                }
            }
            for (String gone : openPayments.keySet()) {
                if (!open.containsKey(gone)) {
                    producer.send(new ProducerRecord<>(Topics.CHAIN_OPEN_PAYMENTS.name(), gone, null));
                }
            }
            producer.send(new ProducerRecord<>(Topics.CHAIN_CHECKPOINTS.name(), Long.toString(settings.chainId()),
                    checkpointWriter.serialize(Topics.CHAIN_CHECKPOINTS.name(), next)));
            producer.commitTransaction();
        } catch (RuntimeException e) {
            producer.abortTransaction();
            throw e;
        }
        checkpoint = next;
        openPayments.clear();
        openPayments.putAll(open);
        lastBlock = tipNumber;
    }

    private EthBlock.Block block(long number, boolean withTransactions) throws IOException {
        return web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), withTransactions)
                .send().getBlock();
    }

    /** The payments in one block to these deposit addresses (lower case → invoice). */
    private List<ChainPayment> scan(EthBlock.Block block, Instant now, Map<String, Invoice> watched) throws IOException {
        List<ChainPayment> found = new ArrayList<>();
        if (watched.isEmpty()) {
            return found;
        }
        // native ETH: successful transactions to a deposit address whose invoice is in ETH
        List<Transaction> candidates = new ArrayList<>();
        for (EthBlock.TransactionResult<?> result : block.getTransactions()) {
            Transaction tx = (Transaction) result.get();
            Invoice invoice = tx.getTo() == null ? null : watched.get(tx.getTo().toLowerCase(Locale.ROOT));
            if (invoice != null && tx.getValue().signum() > 0 && isNative(invoice)) {
                candidates.add(tx);
            }
        }
        Map<String, Boolean> succeeded = statuses(block, candidates);
        for (Transaction tx : candidates) {
            if (Boolean.TRUE.equals(succeeded.get(tx.getHash().toLowerCase(Locale.ROOT)))) { // a failed one moved nothing
                found.add(payment(watched.get(tx.getTo().toLowerCase(Locale.ROOT)), block, tx.getHash(), null, tx.getFrom(),
                        tx.getTo(), tx.getValue(), "ETH", 18, null, now));
            }
        }
        // ERC-20: Transfer logs of this very block, from the configured contracts only
        for (Token token : settings.tokens()) {
            EthFilter filter = new EthFilter(block.getHash(), token.contract()).addSingleTopic(TRANSFER_TOPIC);
            EthLog logs = web3j.ethGetLogs(filter).send();
            if (logs.hasError()) {
                throw new IOException("eth_getLogs: " + logs.getError().getMessage());
            }
            for (EthLog.LogResult<?> result : logs.getLogs()) {
                Log entry = (Log) result.get();
                if (entry.isRemoved() || entry.getTopics().size() != 3
                        || !token.contract().equalsIgnoreCase(entry.getAddress())) {
                    continue;
                }
                String to = topicAddress(entry.getTopics().get(2));
                Invoice invoice = watched.get(to);
                if (invoice == null || isNative(invoice)
                        || !token.contract().equalsIgnoreCase(invoice.getDue().getTokenContract())) {
                    continue; // not ours, or another token than the invoice asks for
                }
                found.add(payment(invoice, block, entry.getTransactionHash(), entry.getLogIndex().intValue(),
                        topicAddress(entry.getTopics().get(1)), to, Numeric.toBigInt(entry.getData()), token.symbol(),
                        token.decimals(), token.contract(), now));
            }
        }
        return found;
    }

    /**
     * Whether each candidate transaction succeeded: one {@code eth_getBlockReceipts} for the whole block when there
     * are several (anvil, geth and most providers answer it), a receipt each otherwise or when it is not served.
     */
    private Map<String, Boolean> statuses(EthBlock.Block block, List<Transaction> candidates) throws IOException {
        Map<String, Boolean> succeeded = new HashMap<>();
        if (candidates.isEmpty()) {
            return succeeded;
        }
        if (candidates.size() > 1) {
            org.web3j.protocol.core.methods.response.EthGetBlockReceipts receipts = web3j.ethGetBlockReceipts(
                    DefaultBlockParameter.valueOf(block.getNumber())).send();
            if (!receipts.hasError() && receipts.getBlockReceipts().isPresent()) {
                for (TransactionReceipt receipt : receipts.getBlockReceipts().get()) {
                    succeeded.put(receipt.getTransactionHash().toLowerCase(Locale.ROOT), receipt.isStatusOK());
                }
                return succeeded;
            }
        }
        for (Transaction tx : candidates) {
            Optional<TransactionReceipt> receipt = web3j.ethGetTransactionReceipt(tx.getHash()).send().getTransactionReceipt();
            succeeded.put(tx.getHash().toLowerCase(Locale.ROOT), receipt.map(TransactionReceipt::isStatusOK).orElse(false));
        }
        return succeeded;
    }

    private static boolean isNative(Invoice invoice) {
        return invoice.getDue() != null && invoice.getDue().getTokenContract() == null;
    }

    private static String topicAddress(String topic) {
        return "0x" + Numeric.cleanHexPrefix(topic).substring(24).toLowerCase(Locale.ROOT);
    }

    private ChainPayment payment(Invoice invoice, EthBlock.Block block, String txHash, Integer logIndex, String from,
            String to, BigInteger amount, String asset, int decimals, String contract, Instant now) {
        long number = block.getNumber().longValue();
        CryptoTransfer transfer = CryptoTransfer.newBuilder().setChainId(settings.chainId()).setTxHash(txHash)
                .setLogIndex(logIndex).setBlockNumber(number).setBlockHash(block.getHash())
                .setFromAddress(from.toLowerCase(Locale.ROOT)).setToAddress(invoice.getDepositAddress())
                .setAmount(CryptoAmount.newBuilder().setBaseUnits(new BigDecimal(amount)).setDecimals(decimals)
                        .setAsset(asset).setTokenContract(contract).build())
                .setConfirmations(1).build();
        ChainPaymentStatus status = settings.confirmations() <= 1 ? ChainPaymentStatus.CONFIRMED : ChainPaymentStatus.SEEN;
        return ChainPayment.newBuilder()
                .setPaymentId(settings.chainId() + ":" + txHash + ":" + (logIndex == null ? "native" : logIndex))
                .setInvoiceId(invoice.getInvoiceId()).setOrderId(invoice.getOrderId()).setShopId(invoice.getShopId())
                .setTransfer(transfer).setStatus(status).setObservedAt(now).build();
    }

    private static ChainPayment with(ChainPayment payment, ChainPaymentStatus status, int confirmations, Instant at) {
        return ChainPayment.newBuilder(payment).setStatus(status)
                .setTransfer(CryptoTransfer.newBuilder(payment.getTransfer()).setConfirmations(confirmations).build())
                .setObservedAt(at).build();
    }

    /** The last block the watcher has read, its payments written; -1 before its first round. */
    public long lastBlock() {
        return lastBlock;
    }

    public boolean isRunning() {
        return thread.isAlive() && failure == null;
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Stops after the round under way (its transaction committed or aborted, never cut in the middle). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(15_000);
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(5_000);
        }
    }
}
