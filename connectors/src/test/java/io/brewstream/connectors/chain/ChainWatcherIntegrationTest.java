package io.brewstream.connectors.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.brewstream.embedded.EmbeddedAnvil;
import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.payments.ChainPayment;
import io.brewstream.schemas.payments.ChainPaymentStatus;
import io.brewstream.schemas.payments.Invoice;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.TopicProvisioner;

/**
 * The chain watcher on a real local node (anvil, with an ERC-20 deployed from the committed bytecode) and the real
 * broker: ETH and token payments seen, confirmed after N blocks; another token contract ignored; a reorganisation
 * that drops a payment reverts it; a watcher stopped mid-stream and started again loses and repeats nothing.
 */
@ExtendWith(EmbeddedInfrastructureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainWatcherIntegrationTest {
    private static final int CONFIRMATIONS = 3;
    private final EmbeddedInfrastructure infra;
    private final AvroSerdes serdes;
    private final ChainTopics topics;
    private EmbeddedAnvil anvil;
    private LocalChain chain;
    private String usdc;
    private String fake;
    private int nextIndex;

    ChainWatcherIntegrationTest(EmbeddedInfrastructure infra) {
        this.infra = infra;
        this.serdes = AvroSerdes.forRegistry(infra.registryUrl());
        this.topics = new ChainTopics(infra.bootstrapServers(), serdes);
        TopicProvisioner.ensureAll(infra.bootstrapServers(), 1);
    }

    @BeforeAll
    void startChain() {
        anvil = EmbeddedAnvil.onFreePort().start();
        chain = new LocalChain(anvil.rpcUrl(), EmbeddedAnvil.CHAIN_ID);
        usdc = chain.deployToken("Test USD Coin", "USDC");
        fake = chain.deployToken("Look-alike USD Coin", "USDC");
        chain.mint(usdc, LocalChain.account(1).getAddress(), BigInteger.valueOf(1_000_000_000L));
        chain.mint(fake, LocalChain.account(1).getAddress(), BigInteger.valueOf(1_000_000_000L));
    }

    @AfterAll
    void stopChain() {
        chain.close();
        anvil.close();
    }

    private Invoice invoice(String id, String asset, String tokenContract) {
        return invoice(id, asset, tokenContract, freshAddress());
    }

    private Invoice invoice(String id, String asset, String tokenContract, String depositAddress) {
        try {
            return topics.publishInvoice(id, EmbeddedAnvil.CHAIN_ID, asset, tokenContract, depositAddress, nextIndex++);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String freshAddress() {
        return ChainTopics.freshAddress();
    }

    private List<ChainPayment> payments(Predicate<ChainPayment> which) {
        return topics.payments(which);
    }

    private List<ChainPayment> paymentsOf(Invoice invoice) {
        return payments(p -> p.getInvoiceId().equals(invoice.getInvoiceId()));
    }

    private ChainWatcher watcher() {
        return new ChainWatcher(infra.bootstrapServers(), serdes, ChainWatcher.Settings.of(anvil.rpcUrl(),
                EmbeddedAnvil.CHAIN_ID, CONFIRMATIONS, List.of(new ChainWatcher.Token("USDC", usdc, 6)))
                .startingAt(chain.blockNumber() + 1));
    }

    @Test
    void ethAndTokenPaymentsConfirmAfterNBlocksAnotherContractIsIgnoredAndAReorgRevertsWhatItDropped() throws Exception {
        Invoice inEth = invoice("berlin-mitte:eth/1", "ETH", null);
        Invoice inUsdc = invoice("berlin-mitte:usdc/1", "USDC", usdc.toLowerCase());
        Invoice dropped = invoice("berlin-mitte:reorg/1", "ETH", null);
        try (ChainWatcher watcher = watcher()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> watcher.lastBlock() >= 0);
            chain.sendEth(1, inEth.getDepositAddress(), BigInteger.valueOf(1_000_000));
            chain.transferToken(1, usdc, inUsdc.getDepositAddress(), BigInteger.valueOf(400_000));
            chain.transferToken(1, fake, inUsdc.getDepositAddress(), BigInteger.valueOf(600_000)); // a look-alike
            await().atMost(Duration.ofSeconds(20)).until(() -> !paymentsOf(inUsdc).isEmpty() && !paymentsOf(inEth).isEmpty());
            chain.mine(CONFIRMATIONS);
            await().atMost(Duration.ofSeconds(20)).until(() -> paymentsOf(inEth).stream()
                    .anyMatch(p -> p.getStatus() == ChainPaymentStatus.CONFIRMED)
                    && paymentsOf(inUsdc).stream().anyMatch(p -> p.getStatus() == ChainPaymentStatus.CONFIRMED));

            List<ChainPayment> eth = paymentsOf(inEth);
            assertThat(eth).extracting(ChainPayment::getStatus).first().isEqualTo(ChainPaymentStatus.SEEN);
            assertThat(eth).extracting(ChainPayment::getStatus).last().isEqualTo(ChainPaymentStatus.CONFIRMED);
            assertThat(eth.get(eth.size() - 1).getTransfer().getConfirmations()).isEqualTo(CONFIRMATIONS);
            assertThat(eth.get(0).getTransfer().getAmount().getBaseUnits()).isEqualByComparingTo("1000000");
            assertThat(eth.get(0).getTransfer().getAmount().getTokenContract()).isNull();
            assertThat(eth.get(0).getPaymentId()).endsWith(":native");
            List<ChainPayment> token = paymentsOf(inUsdc);
            assertThat(token).as("only the configured contract's Transfer counts").extracting(p -> p.getTransfer().getAmount()
                    .getBaseUnits().toBigInteger()).containsOnly(BigInteger.valueOf(400_000));
            assertThat(token.get(0).getTransfer().getAmount().getTokenContract()).isEqualToIgnoringCase(usdc);
            assertThat(token.get(0).getTransfer().getLogIndex()).isNotNull();

            // a payment in the newest block, then that block leaves the chain
            chain.sendEth(1, dropped.getDepositAddress(), BigInteger.valueOf(1_000_000));
            await().atMost(Duration.ofSeconds(20)).until(() -> !paymentsOf(dropped).isEmpty());
            chain.reorg(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> paymentsOf(dropped).stream()
                    .anyMatch(p -> p.getStatus() == ChainPaymentStatus.REVERTED));
            chain.mine(CONFIRMATIONS + 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> watcher.lastBlock() >= chain.blockNumber());
            assertThat(paymentsOf(dropped)).extracting(ChainPayment::getStatus)
                    .containsExactly(ChainPaymentStatus.SEEN, ChainPaymentStatus.REVERTED);
            assertThat(watcher.isRunning()).isTrue();
        }
    }

    @Test
    void aPaymentMadeBeforeItsInvoiceReachedTheWatcherIsFoundInTheBlocksAlreadyRead() throws Exception {
        // the customer sees the invoice (an interactive query) a moment before the watcher reads it from the topic
        String address = freshAddress();
        try (ChainWatcher watcher = watcher()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> watcher.lastBlock() >= 0);
            chain.sendEth(1, address, BigInteger.valueOf(1_000_000));
            long paidIn = chain.blockNumber();
            await().atMost(Duration.ofSeconds(20)).until(() -> watcher.lastBlock() >= paidIn); // read, the address unknown
            Invoice late = invoice("berlin-mitte:late/1", "ETH", null, address);
            await().atMost(Duration.ofSeconds(20)).until(() -> !paymentsOf(late).isEmpty());
            assertThat(paymentsOf(late)).first().satisfies(p -> {
                assertThat(p.getTransfer().getBlockNumber()).isEqualTo(paidIn);
                assertThat(p.getTransfer().getAmount().getBaseUnits()).isEqualByComparingTo("1000000");
            });
            chain.mine(CONFIRMATIONS);
            await().atMost(Duration.ofSeconds(20)).until(() -> paymentsOf(late).stream()
                    .anyMatch(p -> p.getStatus() == ChainPaymentStatus.CONFIRMED));
            assertThat(paymentsOf(late)).filteredOn(p -> p.getTransfer().getConfirmations() == 1).as("found once").hasSize(1);
        }
    }

    @Test
    void aWatcherStoppedMidStreamAndStartedAgainLosesAndRepeatsNothing() throws Exception {
        List<Invoice> invoices = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            invoices.add(invoice("berlin-mitte:restart" + i + "/1", "ETH", null));
        }
        ChainWatcher first = watcher();
        await().atMost(Duration.ofSeconds(20)).until(() -> first.lastBlock() >= 0);
        for (int i = 0; i < 3; i++) {
            chain.sendEth(2, invoices.get(i).getDepositAddress(), BigInteger.valueOf(1_000 + i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> first.lastBlock() >= chain.blockNumber());
        first.close();
        // while no watcher runs: three more payments and the blocks that confirm all six
        for (int i = 3; i < 6; i++) {
            chain.sendEth(2, invoices.get(i).getDepositAddress(), BigInteger.valueOf(1_000 + i));
        }
        chain.mine(CONFIRMATIONS);
        try (ChainWatcher second = new ChainWatcher(infra.bootstrapServers(), serdes, ChainWatcher.Settings.of(
                anvil.rpcUrl(), EmbeddedAnvil.CHAIN_ID, CONFIRMATIONS, List.of(new ChainWatcher.Token("USDC", usdc, 6))))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> second.lastBlock() >= chain.blockNumber());
        }
        for (Invoice invoice : invoices) {
            List<ChainPayment> seen = paymentsOf(invoice);
            assertThat(seen).as(invoice.getInvoiceId()).filteredOn(p -> p.getStatus() == ChainPaymentStatus.CONFIRMED).hasSize(1);
            assertThat(seen).as("seen once in its block, whichever watcher saw it")
                    .filteredOn(p -> p.getTransfer().getConfirmations() == 1).hasSize(1);
            assertThat(seen).extracting(ChainPayment::getPaymentId).containsOnly(seen.get(0).getPaymentId());
        }
    }

    @Test
    void aWatcherOverTheNodesWebSocketSeesPaymentsToo() throws Exception {
        Invoice invoice = invoice("berlin-mitte:websocket/1", "ETH", null);
        String ws = anvil.rpcUrl().replace("http://", "ws://");
        try (ChainWatcher watcher = new ChainWatcher(infra.bootstrapServers(), serdes, ChainWatcher.Settings.of(ws,
                EmbeddedAnvil.CHAIN_ID, CONFIRMATIONS, List.of()).startingAt(chain.blockNumber() + 1))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> watcher.lastBlock() >= 0);
            chain.sendEth(1, invoice.getDepositAddress(), BigInteger.valueOf(42));
            chain.mine(CONFIRMATIONS);
            await().atMost(Duration.ofSeconds(20)).until(() -> paymentsOf(invoice).stream()
                    .anyMatch(p -> p.getStatus() == ChainPaymentStatus.CONFIRMED));
        }
    }
}
