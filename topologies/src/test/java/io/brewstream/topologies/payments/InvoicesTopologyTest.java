package io.brewstream.topologies.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.crypto.ChildNumber;
import org.bitcoinj.crypto.DeterministicKey;
import org.bitcoinj.crypto.HDKeyDerivation;
import org.bitcoinj.crypto.MnemonicCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.common.CryptoAmount;
import io.brewstream.schemas.common.Money;
import io.brewstream.schemas.orders.CheckType;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.orders.Order;
import io.brewstream.schemas.orders.OrderEvent;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.payments.ChainPayment;
import io.brewstream.schemas.payments.ChainPaymentStatus;
import io.brewstream.schemas.payments.CryptoTransfer;
import io.brewstream.schemas.payments.ExchangeRate;
import io.brewstream.schemas.payments.Invoice;
import io.brewstream.schemas.payments.InvoiceFlag;
import io.brewstream.schemas.payments.InvoiceRequest;
import io.brewstream.schemas.payments.InvoiceStatus;
import io.brewstream.schemas.payments.PaymentMethod;
import io.brewstream.schemas.payments.PaymentReceived;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;
import io.brewstream.topologies.support.DriverSupport;

/** Invoices on the TopologyTestDriver with the real registry's serdes: made, paid in parts and over, settled, expired, late. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class InvoicesTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");
    private static final String ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
    private final AvroSerdes serdes;
    private DriverSupport support;
    private TestInputTopic<String, InvoiceRequest> requests;
    private TestInputTopic<String, ChainPayment> payments;
    private TestOutputTopic<String, Invoice> invoices;
    private TestOutputTopic<String, PaymentReceived> received;
    private TestOutputTopic<String, io.brewstream.schemas.orders.OrderCommand> commands;
    private int n;

    @TempDir
    Path stateDir;

    InvoicesTopologyTest(EmbeddedInfrastructure infra) {
        serdes = AvroSerdes.forRegistry(infra.registryUrl());
    }

    static String accountXpub(String mnemonic) {
        DeterministicKey key = HDKeyDerivation.createMasterPrivateKey(MnemonicCode.toSeed(List.of(mnemonic.split(" ")), ""));
        for (int hardened : new int[] {44, 60, 0}) {
            key = HDKeyDerivation.deriveChildKey(key, new ChildNumber(hardened, true));
        }
        return key.serializePubB58(BitcoinNetwork.MAINNET);
    }

    @BeforeEach
    void setUp() {
        InvoiceSettings settings = new InvoiceSettings(31337, Map.of("ETH", InvoiceSettings.Asset.ether(),
                "USDC", new InvoiceSettings.Asset("USDC", 6, Optional.of("0x5fbdb2315678afecb367f032d93f642f64180aa3"))),
                Map.of("berlin-mitte", accountXpub(ANVIL_MNEMONIC)), Optional.empty(), Duration.ofMinutes(15),
                Duration.ofHours(24), 50, Duration.ofHours(1));
        support = new DriverSupport(new InvoicesTopology(settings), serdes, stateDir, T0);
        support.seed(Topics.EXCHANGE_RATES, List.of(
                ExchangeRate.newBuilder().setAsset("ETH").setCurrency("EUR").setPrice("3000.00").setSource("fixed").setAt(T0).build(),
                ExchangeRate.newBuilder().setAsset("USDC").setCurrency("EUR").setPrice("0.98").setSource("fixed").setAt(T0).build()),
                r -> r.getAsset() + "/" + r.getCurrency());
        requests = support.input(Topics.INVOICE_REQUESTS);
        payments = support.input(Topics.CHAIN_PAYMENTS);
        invoices = support.output(Topics.INVOICES);
        received = support.output(Topics.PAYMENTS);
        commands = support.output(Topics.ORDER_COMMANDS);
    }

    @AfterEach
    void tearDown() {
        support.close();
    }

    /** The order as its latest order event carries it. */
    private void orderIs(Order order) {
        support.seed(Topics.ORDER_EVENTS, List.of(OrderEvent.newBuilder().setEventId(java.util.UUID.randomUUID().toString())
                .setOrderId(order.getOrderId()).setShopId(order.getShopId()).setToStatus(order.getStatus())
                .setAccepted(true).setReasons(List.of()).setOrder(order).setKind(OrderEventKind.TRANSITION)
                .setOccurredAt(java.time.Instant.now()).build()), OrderEvent::getOrderId);
    }

    private String placed(long totalMinor) {
        String orderId = "berlin-mitte:order" + (++n);
        Order order = Order.newBuilder(DriverSupport.order(orderId, "berlin-mitte", OrderStatus.PLACED, "latte", 2,
                ItemSize.LARGE, List.of())).setTotal(Money.newBuilder().setAmountMinor(totalMinor).setCurrency("EUR").build())
                .setPendingChecks(List.of(CheckType.PAYMENT)).build();
        orderIs(order);
        return orderId;
    }

    private Invoice request(String orderId, String asset, String customer) {
        requests.pipeInput(orderId, InvoiceRequest.newBuilder().setInvoiceId(orderId + "/r" + n).setOrderId(orderId)
                .setShopId("berlin-mitte").setCustomerId(customer).setAsset(asset).setRequestedAt(T0).build());
        return invoices.readValuesToList().get(0);
    }

    private Invoice pay(Invoice invoice, String txHash, long baseUnits, ChainPaymentStatus status) {
        CryptoTransfer transfer = CryptoTransfer.newBuilder().setChainId(31337).setTxHash(txHash).setBlockNumber(10)
                .setBlockHash("0xb10c").setFromAddress("0xpayer").setToAddress(invoice.getDepositAddress())
                .setAmount(CryptoAmount.newBuilder(invoice.getDue()).setBaseUnits(BigDecimal.valueOf(baseUnits)).build())
                .setConfirmations(status == ChainPaymentStatus.CONFIRMED ? 3 : 1).build();
        payments.pipeInput("berlin-mitte", ChainPayment.newBuilder().setPaymentId("31337:" + txHash + ":native")
                .setInvoiceId(invoice.getInvoiceId()).setOrderId(invoice.getOrderId()).setShopId("berlin-mitte")
                .setTransfer(transfer).setStatus(status).setObservedAt(T0).build());
        List<Invoice> changed = invoices.readValuesToList();
        return changed.get(changed.size() - 1);
    }

    @Test
    void anInvoiceIsPricedFromTheOrderAtTheLockedRateWithAFreshAddressAndSettlesOnceConfirmed() {
        String orderId = placed(980);
        Invoice invoice = request(orderId, "ETH", "cust-1");
        assertThat(invoice.getStatus()).isEqualTo(InvoiceStatus.NEW);
        // 9.80 EUR at 3000 EUR/ETH: 0.003266666... ETH, rounded up to the wei
        assertThat(invoice.getDue().getBaseUnits()).isEqualByComparingTo("3266666666666667");
        assertThat(invoice.getDue().getTokenContract()).isNull();
        assertThat(invoice.getRate()).isEqualTo("3000.00");
        assertThat(invoice.getDepositAddress()).as("m/44'/60'/0'/0/0 of the shop's xpub")
                .isEqualTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
        assertThat(invoice.getExpiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        Invoice second = request(placed(450), "USDC", "cust-1");
        assertThat(second.getDepositAddress()).as("the next index: no address twice")
                .isEqualTo("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        assertThat(second.getDue().getBaseUnits()).as("4.50 EUR at 0.98: 4.591837 USDC").isEqualByComparingTo("4591837");

        Invoice partial = pay(invoice, "0xaa", 1_000_000_000_000_000L, ChainPaymentStatus.SEEN);
        assertThat(partial.getStatus()).isEqualTo(InvoiceStatus.NEW);
        assertThat(partial.getFlags()).containsExactly(InvoiceFlag.PAID_PARTIAL);
        Invoice processing = pay(invoice, "0xbb", 2_266_666_666_666_667L, ChainPaymentStatus.SEEN);
        assertThat(processing.getStatus()).isEqualTo(InvoiceStatus.PROCESSING);
        assertThat(processing.getFlags()).isEmpty();
        pay(invoice, "0xaa", 1_000_000_000_000_000L, ChainPaymentStatus.CONFIRMED);
        assertThat(received.isEmpty()).as("not all of it confirmed yet").isTrue();
        Invoice settled = pay(invoice, "0xbb", 2_266_666_666_666_667L, ChainPaymentStatus.CONFIRMED);
        assertThat(settled.getStatus()).isEqualTo(InvoiceStatus.SETTLED);
        PaymentReceived payment = received.readValue();
        assertThat(payment.getOrderId()).isEqualTo(orderId);
        assertThat(payment.getMethod()).isEqualTo(PaymentMethod.CRYPTO);
        assertThat(payment.getAmount().getAmountMinor()).as("exactly what the order owed").isEqualTo(980);
        assertThat(payment.getPaymentId()).isEqualTo("crypto:" + invoice.getInvoiceId());

        // the same confirmation again changes nothing that pays twice
        pay(invoice, "0xbb", 2_266_666_666_666_667L, ChainPaymentStatus.CONFIRMED);
        assertThat(received.isEmpty()).isTrue();
        // a reorganisation takes a settling payment away: the invoice waits again and the order's payment is reverted
        Invoice reverted = pay(invoice, "0xbb", 2_266_666_666_666_667L, ChainPaymentStatus.REVERTED);
        assertThat(reverted.getFlags()).contains(InvoiceFlag.REVERTED_AFTER_SETTLEMENT);
        assertThat(reverted.getStatus()).isEqualTo(InvoiceStatus.NEW);
        io.brewstream.schemas.orders.OrderCommand revert = commands.readValue();
        assertThat(revert.getOrderId()).isEqualTo(orderId);
        assertThat(((io.brewstream.schemas.orders.RevertPayment) revert.getCommand()).getPaymentId())
                .isEqualTo(payment.getPaymentId());
        // the same transfer confirmed on the new branch settles it again: the order is paid again
        assertThat(pay(invoice, "0xbb", 2_266_666_666_666_667L, ChainPaymentStatus.CONFIRMED).getStatus())
                .isEqualTo(InvoiceStatus.SETTLED);
        assertThat(received.readValue().getPaymentId()).isEqualTo(payment.getPaymentId());
    }

    @Test
    void overAndWithinTolerancePaymentsSettleAndAreReported() {
        Invoice over = request(placed(300), "ETH", "cust-1");
        Invoice paidOver = pay(over, "0xcc", over.getDue().getBaseUnits().longValue() * 2, ChainPaymentStatus.CONFIRMED);
        assertThat(paidOver.getStatus()).isEqualTo(InvoiceStatus.SETTLED);
        assertThat(paidOver.getFlags()).containsExactly(InvoiceFlag.PAID_OVER);
        Invoice fee = request(placed(300), "ETH", "cust-1");
        long lessAFee = fee.getDue().getBaseUnits().longValue() / 10_000 * 9_960; // 40 bps short, within 50
        assertThat(pay(fee, "0xdd", lessAFee, ChainPaymentStatus.CONFIRMED).getStatus()).isEqualTo(InvoiceStatus.SETTLED);
        assertThat(received.readValuesToList()).hasSize(2);
    }

    @Test
    void anUnpaidInvoiceExpiresAndALatePaymentIsFlaggedNeverSettled() {
        Invoice invoice = request(placed(500), "ETH", "cust-1");
        support.driver.advanceWallClockTime(Duration.ofMinutes(16));
        assertThat(invoices.readValuesToList()).extracting(Invoice::getStatus).containsExactly(InvoiceStatus.EXPIRED);
        Invoice late = pay(invoice, "0xee", invoice.getDue().getBaseUnits().longValue(), ChainPaymentStatus.CONFIRMED);
        assertThat(late.getStatus()).isEqualTo(InvoiceStatus.EXPIRED);
        assertThat(late.getFlags()).containsExactly(InvoiceFlag.PAID_LATE);
        assertThat(late.getReason()).contains("staff decide");
        assertThat(received.isEmpty()).isTrue();
    }

    @Test
    void aRequestThatComesBeforeItsOrderIsPricedWaitsForIt() {
        String orderId = "berlin-mitte:early";
        Order unpriced = DriverSupport.order(orderId, "berlin-mitte", OrderStatus.PLACED, "latte", 1, ItemSize.MEDIUM, List.of());
        orderIs(unpriced);
        requests.pipeInput(orderId, InvoiceRequest.newBuilder().setInvoiceId(orderId + ".r").setOrderId(orderId)
                .setShopId("berlin-mitte").setCustomerId("cust-1").setAsset("ETH").setRequestedAt(T0).build());
        assertThat(invoices.isEmpty()).isTrue();
        orderIs(Order.newBuilder(unpriced).setTotal(Money.newBuilder().setAmountMinor(380)
                .setCurrency("EUR").build()).setPendingChecks(List.of(CheckType.PAYMENT)).build());
        assertThat(invoices.readValue()).satisfies(i -> {
            assertThat(i.getStatus()).isEqualTo(InvoiceStatus.NEW);
            assertThat(i.getFiat().getAmountMinor()).isEqualTo(380);
        });
    }

    @Test
    void requestsForUnknownOthersOrPaidOrdersOrUntakenAssetsAreRefusedWithAReason() {
        requests.pipeInput("berlin-mitte:nosuch", InvoiceRequest.newBuilder().setInvoiceId("berlin-mitte:nosuch.r")
                .setOrderId("berlin-mitte:nosuch").setShopId("berlin-mitte").setCustomerId("cust-1").setAsset("ETH")
                .setRequestedAt(T0).build());
        assertThat(invoices.isEmpty()).as("an order not seen yet may be a moment behind: the request waits").isTrue();
        support.driver.advanceWallClockTime(Duration.ofSeconds(31));
        assertThat(invoices.readValue().getReason()).isEqualTo("no such order waiting for a payment");
        assertThat(request(placed(500), "ETH", "cust-2").getReason()).isEqualTo("not this customer's order");
        Invoice doge = request(placed(500), "DOGE", "cust-1");
        assertThat(doge.getStatus()).isEqualTo(InvoiceStatus.INVALID);
        assertThat(doge.getReason()).contains("DOGE is not taken");
        assertThat(doge.getDepositAddress()).isNull();
        String orderId = "berlin-mitte:validated";
        orderIs(Order.newBuilder(DriverSupport.order(orderId, "berlin-mitte",
                OrderStatus.VALIDATED, "latte", 1, ItemSize.MEDIUM, List.of()))
                .setTotal(Money.newBuilder().setAmountMinor(380).setCurrency("EUR").build()).build());
        assertThat(request(orderId, "ETH", "cust-1").getReason()).contains("not waiting for a payment");
        // none of them used an address: the next real invoice gets index 0
        assertThat(request(placed(500), "ETH", "cust-1").getAddressIndex()).isZero();
    }
}
