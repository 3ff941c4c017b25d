package io.brewstream.topologies.bots;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.bots.StaffChat;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.schemas.inventory.LowStock;
import io.brewstream.schemas.topics.Keys;
import io.brewstream.topologies.reference.ReferenceTables;

/** Low-stock events and fraud alerts to the shop's staff chats ({@link StaffAlerts}), read by key prefix. */
final class StaffAlertProcessor implements Processor<String, SpecificRecord, String, OutboundNotification> {
    private ProcessorContext<String, OutboundNotification> context;
    private KeyValueStore<String, StaffChat> staffChats;

    @Override
    public void init(ProcessorContext<String, OutboundNotification> context) {
        this.context = context;
        staffChats = context.getStateStore(ReferenceTables.STAFF_CHATS);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        Instant now = Instant.ofEpochMilli(record.timestamp());
        List<OutboundNotification> out = List.of();
        if (record.value() instanceof LowStock low) {
            out = StaffAlerts.notify(chats(low.getShopId()), StaffAlerts.id(low), StaffAlerts.text(low), null, now);
        } else if (record.value() instanceof FraudScore score) {
            out = StaffAlerts.text(score).map(text -> StaffAlerts.notify(chats(score.getShopId()), StaffAlerts.id(score),
                    text, score.getOrderId(), now)).orElse(List.of());
        }
        for (OutboundNotification notification : out) {
            context.forward(new Record<>(notification.getRecipient(), notification, record.timestamp()));
        }
    }

    private List<StaffChat> chats(String shopId) {
        List<StaffChat> chats = new ArrayList<>();
        try (KeyValueIterator<String, StaffChat> it = staffChats.prefixScan(Keys.shopPrefix(shopId), new StringSerializer())) {
            it.forEachRemaining(kv -> chats.add(kv.value));
        }
        return chats;
    }
}
