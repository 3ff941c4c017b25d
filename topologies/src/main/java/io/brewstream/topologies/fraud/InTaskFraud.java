package io.brewstream.topologies.fraud;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.fraud.Chargeback;
import io.brewstream.schemas.fraud.CustomerRisk;
import io.brewstream.schemas.fraud.DenyListEntry;
import io.brewstream.schemas.fraud.DenyListKind;
import io.brewstream.schemas.fraud.FraudActivityEntry;
import io.brewstream.schemas.fraud.FraudCase;
import io.brewstream.schemas.fraud.FraudReason;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.schemas.fraud.FraudSignal;
import io.brewstream.schemas.fraud.FraudSource;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.orders.ValidationResult;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.reference.Customer;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.topologies.reference.ReferenceTables;

/**
 * Fraud scoring inside the orders task, in the step that places an order: the FRAUD check without the detour
 * through three repartitions, a gatherer and {@code orders.validations}.
 * <p>
 * What the rules count comes from {@link FraudProfiles}: the customer's profile is this partition's own share
 * (its store: exact and current) plus the other partitions' shares (the global store: as of their last commit);
 * a device's or IP's recent orders are the global store's plus what this task added since (kept in memory for a
 * minute, far longer than a commit takes to reach the global store). So an order in another shop partition
 * becomes visible to the rules about one commit after it was scored; within a partition, at once.
 * <p>
 * With {@link FraudSettings#waitForPayment()} the signals are kept until the first payment (a denied card or
 * paying address counts), then scored; otherwise at once. The limit of orders waiting for payment counts the
 * customer's waiting orders over all shares.
 */
public final class InTaskFraud {
    /** How long this task's own device and IP entries are overlaid on the global store's. */
    static final Duration OVERLAY_TIME = Duration.ofMinutes(1);

    private final FraudRules rules;
    /** What a share's recent orders keep: enough for the customer's rules and for the device's and IP's. */
    private final RecentOrders.Need[] shareNeeds;
    private final int partition;
    private final BiConsumer<String, SpecificRecord> emit;
    private final KeyValueStore<String, CustomerRisk> shares;
    private final KeyValueStore<String, FraudCase> pending;
    private final KeyValueStore<String, FraudScore> alerts;
    private final KeyValueStore<String, CustomerRisk> profiles;
    private final KeyValueStore<String, Customer> customers;
    private final KeyValueStore<String, DenyListEntry> denyList;
    /** Shares changed by the step under way, written (store and topic) once at its end. */
    private final Map<String, CustomerRisk> changed = new LinkedHashMap<>();
    /** This task's device and IP entries not yet (surely) in the global store, by profile key. */
    private final Map<String, List<FraudActivityEntry>> overlay = new HashMap<>();
    private final ArrayDeque<Overlaid> overlaidInOrder = new ArrayDeque<>();

    private record Overlaid(String key, String orderId, long until) {
    }

    /**
     * @param emit where the scores, alerts and shares go: {@code (orderId, FraudScore)} for scores (alerted ones
     *             are sent on to fraud.alerts by the topology), {@code (customerId:partition, CustomerRisk)} for
     *             fraud.activity
     */
    public InTaskFraud(FraudRules rules, ProcessorContext<?, ?> context, BiConsumer<String, SpecificRecord> emit) {
        this.rules = rules;
        List<RecentOrders.Need> needs = new ArrayList<>(List.of(rules.customerNeeds()));
        needs.addAll(List.of(rules.dimensionNeeds(FraudSource.DEVICE)));
        needs.addAll(List.of(rules.dimensionNeeds(FraudSource.IP)));
        this.shareNeeds = needs.toArray(RecentOrders.Need[]::new);
        this.partition = context.taskId().partition();
        this.emit = emit;
        this.shares = context.getStateStore(FraudStores.CUSTOMER_SHARES);
        this.pending = context.getStateStore(FraudStores.PENDING_CASES);
        this.alerts = context.getStateStore(FraudStores.RECENT_ALERTS);
        this.profiles = context.getStateStore(FraudStores.PROFILES);
        this.customers = context.getStateStore(ReferenceTables.CUSTOMERS);
        this.denyList = context.getStateStore(ReferenceTables.DENY_LIST);
    }

    /**
     * The FRAUD check of a new, priced order: failed at once if the customer has the most orders waiting for
     * payment already; otherwise its customer, device and IP sides looked at and recorded, and the order scored,
     * or (waiting for the payment) null.
     */
    public ValidationResult check(Order order, Instant now) {
        String customerId = order.getCustomerId();
        List<CustomerRisk> all = new ArrayList<>(FraudProfiles.shares(profiles, customerId, partition));
        CustomerRisk known = known(customerId);
        if (known != null) {
            all.add(known);
        }
        CustomerRisk profile = FraudProfiles.sum(customerId, all);
        int waiting = profile.getUnpaidOrderIds().size();
        if (waiting >= rules.settings().maxUnpaidOrders()) {
            return ValidationResult.newBuilder().setOrderId(order.getOrderId()).setCheck(CheckType.FRAUD).setPassed(false)
                    .setReasons(List.of(String.format(UnpaidOrdersLimit.REASON, waiting))).setCheckedAt(now).build();
        }
        Instant at = order.getPlacedAt();
        FraudActivityEntry entry = FraudActivityEntry.newBuilder().setOrderId(order.getOrderId()).setCustomerId(customerId)
                .setAt(at).setDeviceId(order.getDeviceId()).setClientIp(order.getClientIp()).build();

        RecentOrders customerRecent = new RecentOrders(profile.getRecent(), at, rules.settings().longWindow());
        customerRecent.add(entry);
        List<FraudSignal> signals = new ArrayList<>();
        signals.add(FraudSignals.of(order, FraudSource.CUSTOMER, rules.customerSide(order, customerRecent, profile,
                customers.get(customerId), denyList.get(DenyLists.key(DenyListKind.CUSTOMER, customerId)))));
        signals.add(dimension(order, FraudSource.DEVICE, order.getDeviceId(), entry, now));
        signals.add(dimension(order, FraudSource.IP, order.getClientIp(), entry, now));

        // the order joins this partition's share: its recent orders keep what every rule may count, devices and IPs
        // included, since their profiles are folded from the shares
        CustomerRisk own = share(customerId);
        RecentOrders ownRecent = new RecentOrders(own.getRecent(), at, rules.settings().longWindow());
        ownRecent.add(entry);
        own.setRecent(ownRecent.keptFor(shareNeeds));
        FraudRules.countAmount(own, order);
        own.setUpdatedAt(now);

        if (rules.settings().waitForPayment()) {
            pending.put(order.getOrderId(), FraudCase.newBuilder().setOrderId(order.getOrderId()).setCustomerId(customerId)
                    .setShopId(order.getShopId()).setSignals(signals).setUpdatedAt(now).build());
            return null;
        }
        return decide(order.getOrderId(), customerId, order.getShopId(), reasons(signals, List.of()), now);
    }

    /** The FRAUD check's result once the order's first payment came, if its signals waited for it; else null. */
    public ValidationResult onPayment(Order order, PaymentReceived payment, Instant now) {
        FraudCase waiting = pending.get(order.getOrderId());
        if (waiting == null) {
            return null;
        }
        pending.delete(order.getOrderId());
        return decide(order.getOrderId(), waiting.getCustomerId(), waiting.getShopId(),
                reasons(waiting.getSignals(), rules.paymentSide(payment, denyList::get)), now);
    }

    /**
     * After a step changed an order: a new order still PLACED waits for its payment (it counts against the
     * customer's limit), one leaving PLACED no longer does; then what changed is written, once.
     */
    public void afterStep(Order before, Order after, Instant now) {
        if (after != null) {
            boolean wasWaiting = before != null && before.getStatus() == OrderStatus.PLACED;
            boolean waits = after.getStatus() == OrderStatus.PLACED;
            if (before == null && waits) {
                CustomerRisk own = share(after.getCustomerId());
                List<String> unpaid = new ArrayList<>(own.getUnpaidOrderIds());
                unpaid.add(after.getOrderId());
                own.setUnpaidOrderIds(unpaid);
                own.setUpdatedAt(now);
            } else if (wasWaiting && !waits) {
                pending.delete(after.getOrderId());
                CustomerRisk known = known(after.getCustomerId());
                if (known != null && known.getUnpaidOrderIds().contains(after.getOrderId())) {
                    CustomerRisk own = share(after.getCustomerId());
                    List<String> unpaid = new ArrayList<>(own.getUnpaidOrderIds());
                    unpaid.remove(after.getOrderId());
                    own.setUnpaidOrderIds(unpaid);
                    own.setUpdatedAt(now);
                }
            }
        }
        flush();
    }

    /** A chargeback, in the partition of its order's shop: counted in that partition's share of the customer. */
    public void onChargeback(Chargeback chargeback, Instant now) {
        CustomerRisk own = share(chargeback.getCustomerId());
        own.setChargebacks(own.getChargebacks() + 1);
        own.setUpdatedAt(now);
        flush();
    }

    private FraudSignal dimension(Order order, FraudSource source, String value, FraudActivityEntry entry, Instant now) {
        if (value == null) {
            return FraudSignals.of(order, source, List.of());
        }
        String key = FraudProfiles.dimensionKey(source, value);
        RecentOrders recent = new RecentOrders(FraudProfiles.dimension(profiles, source, value), order.getPlacedAt(),
                rules.settings().longWindow());
        forgetOldOverlay(now);
        for (FraudActivityEntry mine : overlay.getOrDefault(key, List.of())) {
            recent.add(mine);
        }
        recent.add(entry);
        overlay.computeIfAbsent(key, k -> new ArrayList<>()).add(entry);
        overlaidInOrder.add(new Overlaid(key, entry.getOrderId(), now.plus(OVERLAY_TIME).toEpochMilli()));
        DenyListKind kind = source == FraudSource.DEVICE ? DenyListKind.DEVICE : DenyListKind.IP;
        return FraudSignals.of(order, source, rules.dimensionSide(source, value, recent, denyList.get(DenyLists.key(kind, value))));
    }

    private void forgetOldOverlay(Instant now) {
        while (!overlaidInOrder.isEmpty() && overlaidInOrder.peekFirst().until() < now.toEpochMilli()) {
            Overlaid old = overlaidInOrder.pollFirst();
            List<FraudActivityEntry> entries = overlay.get(old.key());
            if (entries != null) {
                entries.removeIf(e -> e.getOrderId().equals(old.orderId()));
                if (entries.isEmpty()) {
                    overlay.remove(old.key());
                }
            }
        }
    }

    private ValidationResult decide(String orderId, String customerId, String shopId, List<FraudReason> reasons, Instant now) {
        FraudScore score = rules.score(orderId, customerId, shopId, reasons, now);
        emit.accept(orderId, score);
        if (FraudRules.alerted(score)) {
            RecentAlerts.add(alerts, score);
        }
        FraudRules.countScore(share(customerId), score);
        return FraudRules.result(score, now);
    }

    private static List<FraudReason> reasons(List<FraudSignal> signals, List<FraudReason> paymentReasons) {
        List<FraudReason> reasons = new ArrayList<>();
        signals.forEach(s -> reasons.addAll(s.getReasons()));
        reasons.addAll(paymentReasons);
        return reasons;
    }

    /** This partition's share of a customer as the step under way has it, to read only; null if none. */
    private CustomerRisk known(String customerId) {
        CustomerRisk inStep = changed.get(customerId);
        return inStep != null ? inStep : shares.get(customerId);
    }

    /** This partition's share of a customer as the step under way has it, to change (written at the step's end). */
    private CustomerRisk share(String customerId) {
        return changed.computeIfAbsent(customerId, id -> {
            CustomerRisk stored = shares.get(id);
            return stored != null ? CustomerRisk.newBuilder(stored).build() : CustomerRisk.newBuilder().setCustomerId(id).build();
        });
    }

    private void flush() {
        for (Map.Entry<String, CustomerRisk> e : changed.entrySet()) {
            shares.put(e.getKey(), e.getValue());
            emit.accept(Keys.customerShare(e.getKey(), partition), e.getValue());
        }
        changed.clear();
    }
}
