package io.brewstream.topologies.payments;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.payments.ChainPayment;
import io.brewstream.schemas.payments.ExchangeRate;
import io.brewstream.schemas.payments.Invoice;
import io.brewstream.schemas.payments.InvoiceRequest;
import io.brewstream.schemas.payments.InvoiceStatus;
import io.brewstream.topologies.reference.ReferenceTables;
import io.brewstream.topologies.runtime.DeadlineKeys;

/**
 * A shop's invoices in its task: made from priced requests (a deposit address of their own, the shop's next
 * index), kept with the watcher's payments, expired by a wall-clock punctuation over an expiry index. Rules in
 * {@link InvoiceRules}; forwards each changed invoice (keyed by invoice id) and, once one settles, the order's
 * payment (keyed by order id); a settlement taken back by a reorganisation reverts that payment with an order
 * command.
 */
final class InvoiceKeeper implements Processor<String, SpecificRecord, String, SpecificRecord> {
    private final InvoiceSettings settings;
    private final Map<String, DepositAddresses> addressesByXpub = new HashMap<>();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Invoice> invoices;
    private KeyValueStore<String, Integer> addressIndex;
    private KeyValueStore<String, String> expiries;
    private KeyValueStore<String, ExchangeRate> rates;

    InvoiceKeeper(InvoiceSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        invoices = context.getStateStore(InvoiceStores.INVOICES);
        addressIndex = context.getStateStore(InvoiceStores.ADDRESS_INDEX);
        expiries = context.getStateStore(InvoiceStores.EXPIRIES);
        rates = context.getStateStore(ReferenceTables.EXCHANGE_RATES);
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        if (record.value() instanceof InvoiceRequest request) {
            if (invoices.get(request.getInvoiceId()) != null) {
                return; // the same request again
            }
            Optional<ExchangeRate> rate = request.getOwed() == null ? Optional.empty()
                    : Optional.ofNullable(rates.get(request.getAsset() + "/" + request.getOwed().getCurrency()));
            Optional<DepositAddresses> wallet = settings.xpubOf(request.getShopId())
                    .map(xpub -> addressesByXpub.computeIfAbsent(xpub, DepositAddresses::new));
            Integer next = addressIndex.get(request.getShopId());
            int index = next == null ? 0 : next;
            Invoice invoice = InvoiceRules.create(request, rate, index, wallet.map(w -> w.address(index)), settings, now);
            if (invoice.getDepositAddress() != null) {
                addressIndex.put(request.getShopId(), index + 1); // an address is never given twice
            }
            save(invoice, record.timestamp());
        } else if (record.value() instanceof ChainPayment payment) {
            Invoice before = invoices.get(payment.getInvoiceId());
            if (before == null) {
                return;
            }
            Invoice after = InvoiceRules.onPayment(before, payment, settings, now);
            save(after, record.timestamp());
            if (InvoiceRules.justSettled(before, after)) {
                context.forward(new Record<>(after.getOrderId(), InvoiceRules.payment(after, now), record.timestamp()));
            } else if (InvoiceRules.justUnsettled(before, after)) {
                context.forward(new Record<>(after.getOrderId(), InvoiceRules.revert(after, now), record.timestamp()));
            }
        }
    }

    private void save(Invoice invoice, long timestamp) {
        invoices.put(invoice.getInvoiceId(), invoice);
        // only NEW invoices wait for the clock; the expiry never moves, so the key is the same each time
        String expiry = DeadlineKeys.key(invoice.getExpiresAt().toEpochMilli(), invoice.getInvoiceId());
        if (invoice.getStatus() == InvoiceStatus.NEW) {
            expiries.put(expiry, invoice.getInvoiceId());
        } else {
            expiries.delete(expiry);
        }
        context.forward(new Record<>(invoice.getInvoiceId(), invoice, timestamp));
    }

    /** NEW invoices past their expiry become EXPIRED: a range scan of the expiry index up to now. */
    private void expire(long wallClock) {
        Instant now = Instant.ofEpochMilli(wallClock);
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = expiries.range(null, DeadlineKeys.upTo(wallClock))) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> entry : due) {
            Invoice invoice = invoices.get(entry.value);
            Optional<Invoice> expired = invoice == null ? Optional.empty() : InvoiceRules.expire(invoice, now);
            if (expired.isPresent()) {
                save(expired.get(), wallClock);
            } else if (invoice == null || invoice.getStatus() != InvoiceStatus.NEW) {
                expiries.delete(entry.key); // no longer NEW (a NEW one due this very millisecond waits for the next tick)
            }
        }
    }
}
