package io.brewstream.ingress.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.platform.http.Json;
import io.brewstream.schemas.orders.CancelOrder;
import io.brewstream.schemas.orders.ClaimOrder;
import io.brewstream.schemas.ids.OrderIds;
import io.brewstream.platform.security.Role;
import io.brewstream.schemas.orders.OrderCommand;
import io.brewstream.schemas.payments.PaymentMethod;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.topics.Topics;

/** Commands on an existing order through the ingress, against the real broker and registry. */
class OrderActionIngressIntegrationTest extends IngressServerTest {

    OrderActionIngressIntegrationTest(EmbeddedInfrastructure infra) {
        super(infra);
    }



    private static String anOrder() {
        return OrderIds.forRequest(IngressTestServer.SHOP, IngressTestServer.CUSTOMER, null);
    }

    @Test
    void aCardPaymentFromThePaymentProviderIsRecordedWithItsIdempotencyKeyAsPaymentId() throws Exception {
        String orderId = anOrder();
        HttpResponse<String> response = server.post("/api/v1/orders/" + orderId + "/payments",
                "{\"method\":\"card\",\"amount\":{\"amountMinor\":980,\"currency\":\"EUR\"},\"cardFingerprint\":\"fp-9\"}",
                Map.of("Idempotency-Key", "pay-once", "Authorization", server.as(Role.PAYMENT_PROVIDER)));

        assertThat(response.statusCode()).isEqualTo(202);
        var record = server.read(Topics.PAYMENTS, orderId);
        PaymentReceived payment = Topics.PAYMENTS.valueSerde(server.serdes).deserializer().deserialize(record.topic(), record.value());
        assertThat(payment.getMethod()).isEqualTo(PaymentMethod.CARD);
        assertThat(payment.getAmount().getAmountMinor()).isEqualTo(980);
        assertThat(payment.getPaymentId()).isEqualTo("idem:pay-once");
        assertThat(payment.getCardFingerprint()).isEqualTo("fp-9");
    }

    @Test
    void customersMayNotRecordPaymentsAndCashIsForStaffOfTheOrdersShop() throws Exception {
        String orderId = anOrder();
        String card = "{\"method\":\"CARD\",\"amount\":{\"amountMinor\":980,\"currency\":\"EUR\"}}";
        String cash = "{\"method\":\"CASH\",\"amount\":{\"amountMinor\":980,\"currency\":\"EUR\"}}";

        assertThat(server.post("/api/v1/orders/" + orderId + "/payments", card, Map.of()).statusCode()).isEqualTo(403);
        assertThat(server.post("/api/v1/orders/" + orderId + "/payments", cash, Map.of()).statusCode()).isEqualTo(403);
        assertThat(server.post("/api/v1/orders/" + orderId + "/payments", card,
                Map.of("Authorization", server.as(Role.STAFF, IngressTestServer.SHOP))).statusCode()).isEqualTo(403);
        assertThat(server.post("/api/v1/orders/" + orderId + "/payments", cash,
                Map.of("Authorization", server.as(Role.STAFF, "berlin-kreuzberg"))).statusCode()).isEqualTo(403);
        assertThat(server.post("/api/v1/orders/" + orderId + "/payments", cash,
                Map.of("Authorization", server.as(Role.STAFF, IngressTestServer.SHOP))).statusCode()).isEqualTo(202);
    }

    @Test
    void onlyTheOrdersCustomerOrItsShopsStaffMayActOnIt() throws Exception {
        String orderId = anOrder();
        String cancel = "{\"reason\":\"changed my mind\"}";
        String otherCustomer = server.customer("cust-8");

        assertThat(server.post("/api/v1/orders/" + orderId + "/cancel", cancel, Map.of("Authorization", otherCustomer))
                .statusCode()).isEqualTo(403);
        assertThat(server.post("/api/v1/orders/" + orderId + "/start", "", Map.of()).statusCode())
                .as("a customer may not start preparing").isEqualTo(403);
        assertThat(server.post("/api/v1/orders/" + orderId + "/start", "",
                Map.of("Authorization", server.as(Role.STAFF, "berlin-kreuzberg"))).statusCode()).isEqualTo(403);
        assertThat(server.post("/api/v1/orders/" + orderId + "/start", "",
                Map.of("Authorization", server.as(Role.MANAGER, "*"))).statusCode()).isEqualTo(202);

        HttpResponse<String> own = server.post("/api/v1/orders/" + orderId + "/cancel", cancel, Map.of());
        assertThat(own.statusCode()).isEqualTo(202);
        OrderCommand command = Topics.ORDER_COMMANDS.valueSerde(server.serdes).deserializer().deserialize(
                Topics.ORDER_COMMANDS.name(), server.read(Topics.ORDER_COMMANDS, orderId,
                        c -> c.getCommand() instanceof CancelOrder).value());
        assertThat(((CancelOrder) command.getCommand()).getRequestedBy()).isEqualTo("customer " + IngressTestServer.CUSTOMER);
    }

    @Test
    void aClaimIsRecordedAsAnOrderCommand() throws Exception {
        String orderId = anOrder();
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
            cancel   | {}                                                                | reason
            cancel   | {"reason":"late","refund":true}                                   | refund
            start    | {"baristaId":"anna"}                                              | baristaId
            ready    | {"note":"x","extra":1}                                            | extra
            claim    | {"pickupCode":null}                                               | pickupCode
            """)
    void badCommandsAreRefusedNamingTheField(String action, String body, String field) throws Exception {
        HttpResponse<String> response = server.post("/api/v1/orders/" + anOrder() + "/" + action, body,
                Map.of("Authorization", server.as(Role.STAFF, IngressTestServer.SHOP)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(response.body()).get("errors").findValuesAsText("field")).contains(field);
    }

    @Test
    void anIdThatIsNoOrderIdNamesNoOrder() throws Exception {
        HttpResponse<String> response = server.post("/api/v1/orders/%20bad%20/cancel", "{\"reason\":\"x\"}", Map.of());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
    }
}
