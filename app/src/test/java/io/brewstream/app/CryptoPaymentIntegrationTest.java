package io.brewstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.connectors.chain.LocalChain;
import io.brewstream.embedded.EmbeddedAnvil;

/**
 * Orders paid in crypto on the standalone stack, end to end on a real local node (anvil) and the real broker: the
 * customer asks for an invoice over HTTP, pays its deposit address in ETH or in the configured token, and the order
 * is VALIDATED once the payment has its confirmations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CryptoPaymentIntegrationTest {
    private static final int CONFIRMATIONS = 3;
    private static final Duration VALID_FOR = Duration.ofSeconds(20);
    private EmbeddedAnvil anvil;
    private LocalChain chain;
    private String usdc;
    private Standalone standalone;
    private ApiClient api;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        anvil = EmbeddedAnvil.onFreePort().start();
        chain = new LocalChain(anvil.rpcUrl(), EmbeddedAnvil.CHAIN_ID);
        usdc = chain.deployToken("Test USD Coin", "USDC");
        chain.mint(usdc, LocalChain.account(1).getAddress(), BigInteger.valueOf(1_000_000_000L));
        Map<String, String> settings = Map.of(
                "BREWSTREAM_CHAIN_RPC_URL", anvil.rpcUrl(),
                "BREWSTREAM_CHAIN_CONFIRMATIONS", Integer.toString(CONFIRMATIONS),
                "BREWSTREAM_CHAIN_TOKENS", "USDC=" + usdc + ":6",
                "BREWSTREAM_CHAIN_DEFAULT_XPUB", Standalone.DEMO_XPUB,
                "BREWSTREAM_CHAIN_FIXED_RATES", "ETH/EUR=3000.00,USDC/EUR=0.98",
                // short enough for the late payment below to come after it, long enough for the others to be on time
                "BREWSTREAM_INVOICE_VALID_FOR", VALID_FOR.toSeconds() + "s");
        standalone = StandaloneSettingsForTests.startWith(dataDir, settings);
        assertThat(standalone.awaitReady(Duration.ofMinutes(2))).isTrue();
        api = new ApiClient(standalone.httpUrl(), standalone.developmentIssuer().orElseThrow());
    }

    @AfterAll
    void stop() {
        if (standalone != null) {
            standalone.close();
        }
        chain.close();
        anvil.close();
    }

    /** An order waiting for its payment, priced. */
    private String awaitingPayment(String customer) throws Exception {
        String orderId = api.placeOrder("""
                {"shopId":"berlin-mitte","customerId":"%s","items":[{"menuItemId":"latte","quantity":1}]}""".formatted(customer),
                Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> order = api.get("/api/v1/orders/" + orderId);
            return order.statusCode() == 200 && ApiClient.json(order).path("total").has("amountMinor")
                    && ApiClient.json(order).path("pendingChecks").toString().contains("PAYMENT");
        });
        return orderId;
    }

    private JsonNode invoiceFor(String orderId, String customer, String asset) throws Exception {
        HttpResponse<String> requested = api.post("/api/v1/orders/" + orderId + "/invoices", "{\"asset\":\"" + asset + "\"}",
                Map.of("Authorization", api.customerToken(customer)));
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
        String invoiceId = ApiClient.json(requested).path("invoiceId").asText();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/invoices/" + invoiceId,
                    api.customerToken(customer)).statusCode() == 200);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("invoice " + invoiceId + " never readable; its order: " + api.get("/api/v1/orders/"
                    + orderId).body() + "; the order's invoices: " + api.get("/api/v1/orders/" + orderId + "/invoices",
                            api.customerToken(customer)).body() + "; the invoice: " + api.get("/api/v1/invoices/"
                                    + invoiceId, api.customerToken(customer)).body(), e);
        }
        JsonNode invoice = invoice(invoiceId, customer);
        assertThat(invoice.path("status").asText()).as(invoice.toString()).isNotEqualTo("INVALID");
        return invoice;
    }

    private JsonNode invoice(String invoiceId, String customer) throws Exception {
        return ApiClient.json(api.get("/api/v1/invoices/" + invoiceId, api.customerToken(customer)));
    }

    /** Waits for the order's status; if it does not come, fails saying where the order and its invoice stood. */
    private void awaitStatus(String orderId, String status, String invoiceId) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> orderStatus(orderId).equals(status));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("order " + orderId + " never " + status + ": " + api.get("/api/v1/orders/" + orderId)
                    .body() + "; its invoice: " + api.get("/api/v1/invoices/" + invoiceId, api.token(
                            io.brewstream.platform.security.Role.STAFF, "berlin-mitte")).body(), e);
        }
    }

    private String orderStatus(String orderId) throws Exception {
        return ApiClient.json(api.get("/api/v1/orders/" + orderId)).path("status").asText();
    }

    @Test
    void anOrderPaidInEthSettlesAfterItsConfirmationsAndIsValidated() throws Exception {
        String orderId = awaitingPayment("cust-eth");
        JsonNode invoice = invoiceFor(orderId, "cust-eth", "ETH");
        assertThat(invoice.path("status").asText()).as(invoice.toString()).isEqualTo("NEW");
        assertThat(invoice.path("rate").asText()).isEqualTo("3000.00");
        assertThat(invoice.path("depositAddress").asText()).startsWith("0x").hasSize(42);
        BigInteger due = invoice.path("due").bigIntegerValue();
        String id = invoice.path("invoiceId").asText();
        // the shop's staff watch the invoice change live
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        var stream = java.net.http.HttpClient.newHttpClient().sendAsync(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(standalone.httpUrl() + "/api/v1/streams/shops/berlin-mitte/invoices"))
                .header("Accept", "text/event-stream")
                .header("Authorization", api.token(io.brewstream.platform.security.Role.STAFF, "berlin-mitte")).build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> {
            try {
                stream.get().body().forEach(lines::add);
            } catch (Exception ended) {
                // cancelled at the end of the test
            }
        }, "invoice-stream");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains(": connected"));

        chain.sendEth(1, invoice.path("depositAddress").asText(), due);
        await().atMost(Duration.ofSeconds(20)).until(() -> invoice(id, "cust-eth").path("status").asText().equals("PROCESSING"));
        assertThat(orderStatus(orderId)).as("not paid before its confirmations").isEqualTo("PLACED");

        long confirming = System.nanoTime();
        chain.mine(CONFIRMATIONS - 1);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> orderStatus(orderId).equals("VALIDATED"));
        System.out.printf("crypto payment: confirming block to VALIDATED in %d ms%n",
                (System.nanoTime() - confirming) / 1_000_000);
        JsonNode settled = invoice(id, "cust-eth");
        assertThat(settled.path("status").asText()).isEqualTo("SETTLED");
        assertThat(settled.path("payments").get(0).path("confirmations").asInt()).isEqualTo(CONFIRMATIONS);
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.startsWith("data: ")
                && l.contains(id) && l.contains("\"SETTLED\"")));
        assertThat(lines).as("PROCESSING came first").anyMatch(l -> l.contains(id) && l.contains("\"PROCESSING\""));
        stream.cancel(true);
        assertThat(api.get("/api/v1/invoices/" + id, api.customerToken("someone-else")).statusCode())
                .as("another customer may not read it").isEqualTo(403);
    }

    @Test
    void anOrderPaidInTheTokenInTwoPartsSettles() throws Exception {
        String orderId = awaitingPayment("cust-usdc");
        JsonNode invoice = invoiceFor(orderId, "cust-usdc", "USDC");
        assertThat(invoice.path("tokenContract").asText()).isEqualToIgnoringCase(usdc);
        BigInteger due = invoice.path("due").bigIntegerValue();
        String id = invoice.path("invoiceId").asText();
        String address = invoice.path("depositAddress").asText();

        chain.transferToken(1, usdc, address, due.divide(BigInteger.TWO));
        await().atMost(Duration.ofSeconds(20)).until(() -> invoice(id, "cust-usdc").path("flags").toString()
                .contains("PAID_PARTIAL"));
        chain.transferToken(1, usdc, address, due.subtract(due.divide(BigInteger.TWO)));
        chain.mine(CONFIRMATIONS);
        awaitStatus(orderId, "VALIDATED", id);
        JsonNode settled = invoice(id, "cust-usdc");
        assertThat(settled.path("status").asText()).isEqualTo("SETTLED");
        assertThat(settled.path("flags")).isEmpty();
        assertThat(settled.path("payments")).hasSize(2);
    }

    @Test
    void aReorganisationThatDropsTheSettlingPaymentTakesItBackFromTheOrderBeforePreparation() throws Exception {
        String orderId = awaitingPayment("cust-reorg");
        JsonNode invoice = invoiceFor(orderId, "cust-reorg", "ETH");
        String id = invoice.path("invoiceId").asText();
        // from an account of its own: the reorganisation drops this account's transaction
        chain.sendEth(2, invoice.path("depositAddress").asText(), invoice.path("due").bigIntegerValue());
        chain.mine(CONFIRMATIONS - 1);
        awaitStatus(orderId, "VALIDATED", id);

        chain.reorg(CONFIRMATIONS); // the payment's block and the two on top of it leave the chain
        await().atMost(Duration.ofSeconds(20)).until(() -> orderStatus(orderId).equals("PLACED"));
        JsonNode order = ApiClient.json(api.get("/api/v1/orders/" + orderId));
        assertThat(order.path("pendingChecks").toString()).contains("PAYMENT");
        assertThat(order.path("links").path("invoices").asText()).isEqualTo("/api/v1/orders/" + orderId + "/invoices");
        JsonNode reverted = invoice(id, "cust-reorg");
        assertThat(reverted.path("flags").toString()).contains("REVERTED_AFTER_SETTLEMENT");
        assertThat(reverted.path("payments").get(0).path("status").asText()).isEqualTo("REVERTED");

        // the staff see it among the shop's invoices that need an eye, and the order lists it
        String staff = api.token(io.brewstream.platform.security.Role.STAFF, "berlin-mitte");
        assertThat(api.get("/api/v1/shops/berlin-mitte/invoices", staff).body()).contains(id);
        assertThat(api.get("/api/v1/orders/" + orderId + "/invoices", api.customerToken("cust-reorg")).body()).contains(id);
    }

    @Test
    void anOverpaymentSettlesAndIsReportedAndALatePaymentNeverSettlesByItself() throws Exception {
        String overpaid = awaitingPayment("cust-over");
        JsonNode over = invoiceFor(overpaid, "cust-over", "ETH");
        chain.sendEth(1, over.path("depositAddress").asText(), over.path("due").bigIntegerValue().shiftLeft(1));
        chain.mine(CONFIRMATIONS);
        await().atMost(Duration.ofSeconds(20)).until(() -> orderStatus(overpaid).equals("VALIDATED"));
        assertThat(invoice(over.path("invoiceId").asText(), "cust-over").path("flags").toString()).contains("PAID_OVER");

        String late = awaitingPayment("cust-late");
        JsonNode unpaid = invoiceFor(late, "cust-late", "ETH");
        String id = unpaid.path("invoiceId").asText();
        await().atMost(VALID_FOR.plusSeconds(20)).until(() -> invoice(id, "cust-late").path("status").asText().equals("EXPIRED"));
        chain.sendEth(1, unpaid.path("depositAddress").asText(), unpaid.path("due").bigIntegerValue());
        chain.mine(CONFIRMATIONS);
        await().atMost(Duration.ofSeconds(20)).until(() -> invoice(id, "cust-late").path("paidConfirmed").bigIntegerValue()
                .equals(unpaid.path("due").bigIntegerValue()));
        JsonNode flagged = invoice(id, "cust-late");
        assertThat(flagged.path("status").asText()).isEqualTo("EXPIRED");
        assertThat(flagged.path("flags").toString()).contains("PAID_LATE");
        assertThat(orderStatus(late)).as("staff decide: the order is not paid by itself").isEqualTo("PLACED");
    }
}
