package io.brewstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.apicurio.registry.serde.avro.AvroSerde;
import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.inventory.StockDelivery;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.PlaceOrder;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/** The serdes write the Confluent wire format through the real registry, and read it back. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class WireFormatIntegrationTest {

    @Test
    void recordsCarryMagicByteAndARegistryIdThatResolvesToTheirSchema(EmbeddedInfrastructure infra) throws Exception {
        Serde<OrderCommand> serde = Topics.ORDER_COMMANDS.valueSerde(AvroSerdes.forRegistry(infra.registryUrl()));
        OrderCommand command = sampleCommand();

        byte[] bytes = serde.serializer().serialize(Topics.ORDER_COMMANDS.name(), command);

        assertThat(bytes[0]).isZero();
        int schemaId = ByteBuffer.wrap(bytes, 1, 4).getInt();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(infra.registry().confluentApiUrl() + "/schemas/ids/" + schemaId)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Schema registered = new Schema.Parser().parse(new ObjectMapper().readTree(response.body()).get("schema").asText());
        assertThat(registered).isEqualTo(OrderCommand.SCHEMA$);

        var reader = new SpecificDatumReader<OrderCommand>(registered, OrderCommand.SCHEMA$);
        OrderCommand decoded = reader.read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        assertThat(decoded).isEqualTo(command);
        assertThat(serde.deserializer().deserialize(Topics.ORDER_COMMANDS.name(), bytes)).isEqualTo(command);
    }

    /**
     * One deserializer reads records of an older writer schema and of the current one, each into the current class,
     * however they alternate: readers are reused per writer schema, never across them.
     */
    @Test
    void oneDeserializerReadsOlderAndCurrentWriterSchemasInTurn(EmbeddedInfrastructure infra) {
        AvroSerdes serdes = AvroSerdes.forRegistry(infra.registryUrl());
        Serde<StockDelivery> deliveries = Topics.STOCK_DELIVERIES.valueSerde(serdes);
        String topic = "wire-format-evolution-" + UUID.randomUUID();
        Schema olderSchema = withoutField(StockDelivery.SCHEMA$, "supplier");
        GenericRecord older = new GenericData.Record(olderSchema);
        older.put("deliveryId", "d-old");
        older.put("shopId", "berlin-mitte");
        older.put("items", List.of());
        older.put("deliveredAt", 1_700_000_000_000L);
        byte[] olderBytes;
        try (AvroSerde<GenericRecord> generic = new AvroSerde<>()) {
            generic.configure(AvroSerdes.wireFormatConfig(infra.registryUrl()), false);
            olderBytes = generic.serializer().serialize(topic, older);
        }
        StockDelivery current = StockDelivery.newBuilder().setDeliveryId("d-new").setShopId("berlin-mitte")
                .setItems(List.of()).setSupplier("roastery").setDeliveredAt(Instant.ofEpochMilli(1_700_000_000_000L)).build();
        byte[] currentBytes = deliveries.serializer().serialize(topic, current);
        assertThat(ByteBuffer.wrap(olderBytes, 1, 4).getInt()).isNotEqualTo(ByteBuffer.wrap(currentBytes, 1, 4).getInt());

        for (int round = 0; round < 2; round++) {
            StockDelivery fromOlder = deliveries.deserializer().deserialize(topic, olderBytes);
            assertThat(fromOlder.getDeliveryId()).isEqualTo("d-old");
            assertThat(fromOlder.getSupplier()).isNull();
            assertThat(deliveries.deserializer().deserialize(topic, currentBytes)).isEqualTo(current);
        }
    }

    private static Schema withoutField(Schema schema, String dropped) {
        List<Schema.Field> fields = schema.getFields().stream().filter(f -> !f.name().equals(dropped))
                .map(f -> new Schema.Field(f, f.schema())).toList();
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    static OrderCommand sampleCommand() {
        return OrderCommand.newBuilder()
                .setCommandId("c-1")
                .setOrderId("o-1")
                .setChannel(Channel.APP)
                .setIssuedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .setCommand(PlaceOrder.newBuilder()
                        .setShopId("berlin-mitte")
                        .setCustomerId("cust-1")
                        .setLines(List.of(OrderLine.newBuilder().setMenuItemId("latte").setQuantity(2)
                                .setSize(ItemSize.LARGE).setOptions(List.of("oat")).build()))
                        .setRequestFingerprint("abc")
                        .build())
                .build();
    }
}
