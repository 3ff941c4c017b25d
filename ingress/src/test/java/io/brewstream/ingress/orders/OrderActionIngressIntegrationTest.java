package io.brewstream.ingress.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.platform.http.Json;
import io.brewstream.schemas.orders.ClaimOrder;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.payments.PaymentMethod;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.topics.Topics;

/** Commands on an existing order through the ingress, against the real broker and registry. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderActionIngressIntegrationTest {
    private final EmbeddedInfrastructure infra;
    private IngressTestServer server;

    OrderActionIngressIntegrationTest(EmbeddedInfrastructure infra) {
        this.infra = infra;
    }

    @BeforeAll
    void start() {
        server = new IngressTestServer(infra);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aCardPaymentIsRecordedKeyedByOrderWithItsIdempotencyKeyAsPaymentId() throws Exception {
        String orderId = EmbeddedInfrastructure.uniqueName("order");
        HttpResponse<String> response = server.post("/api/v1/orders/" + orderId + "/payments",
                "{\"method\":\"card\",\"amount\":{\"amountMinor\":980,\"currency\":\"EUR\"},\"cardFingerprint\":\"fp-9\"}",
                Map.of("Idempotency-Key", "pay-once"));

        assertThat(response.statusCode()).isEqualTo(202);
        var record = server.read(Topics.PAYMENTS, orderId);
        PaymentReceived payment = Topics.PAYMENTS.valueSerde(server.serdes).deserializer().deserialize(record.topic(), record.value());
        assertThat(payment.getMethod()).isEqualTo(PaymentMethod.CARD);
        assertThat(payment.getAmount().getAmountMinor()).isEqualTo(980);
        assertThat(payment.getPaymentId()).isEqualTo("idem:pay-once");
        assertThat(payment.getCardFingerprint()).isEqualTo("fp-9");
    }

    @Test
    void aClaimIsRecordedAsAnOrderCommand() throws Exception {
        String orderId = EmbeddedInfrastructure.uniqueName("order");
        HttpResponse<String> response = server.post("/api/v1/orders/" + orderId + "/claim", "{\"pickupCode\":\"K7QF\"}", Map.of());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(Json.mapper().readTree(response.body()).get("commandId").asText()).isNotBlank();
        var record = server.read(Topics.ORDER_COMMANDS, orderId);
        OrderCommand command = Topics.ORDER_COMMANDS.valueSerde(server.serdes).deserializer().deserialize(record.topic(), record.value());
        assertThat(((ClaimOrder) command.getCommand()).getPickupCode()).isEqualTo("K7QF");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            payments | {"method":"CRYPTO","amount":{"amountMinor":100,"currency":"EUR"}}  | method
            payments | {"method":"CARD","amount":{"amountMinor":0,"currency":"EUR"}}      | amount.amountMinor
            payments | {"method":"CARD","amount":{"amountMinor":100,"currency":"euro"}}  | amount.currency
            payments | {"method":"CARD"}                                                 | amount
            cancel   | {"requestedBy":"cust-1"}                                          | reason
            cancel   | {"reason":"late","requestedBy":"cust-1","refund":true}            | refund
            start    | {}                                                                | baristaId
            ready    | {"baristaId":""}                                                  | baristaId
            claim    | {"pickupCode":null}                                               | pickupCode
            """)
    void badCommandsAreRefusedNamingTheField(String action, String body, String field) throws Exception {
        HttpResponse<String> response = server.post("/api/v1/orders/o-1/" + action, body, Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(response.body()).get("errors").findValuesAsText("field")).contains(field);
    }

    @Test
    void aMalformedOrderIdInThePathIsRefused() throws Exception {
        HttpResponse<String> response = server.post("/api/v1/orders/%20bad%20/cancel",
                "{\"reason\":\"x\",\"requestedBy\":\"c\"}", Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(response.body()).get("errors").findValuesAsText("field")).contains("orderId");
    }
}
