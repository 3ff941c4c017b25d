package io.brewstream.connectors.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.brewstream.connectors.supervision.Restarting;
import io.brewstream.embedded.EmbeddedAnvil;
import io.brewstream.embedded.FreePorts;
import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;
import io.brewstream.schemas.payments.ChainPayment;
import io.brewstream.schemas.payments.Invoice;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.TopicProvisioner;

/**
 * The Ethereum node goes away under the chain watcher and comes back with its chain: the watcher fails, is started
 * again with backoff (as the connectors process runs it, under {@link Restarting}) until the node answers, resumes
 * from its checkpoint, and sees the payments made after; none made before is reported twice. A chain of its own
 * (chain id {@value #CHAIN_ID}, kept in a directory across the node's restart), so no other test's checkpoint
 * is in the way.
 */
@ExtendWith(EmbeddedInfrastructureExtension.class)
class ChainNodeOutageIntegrationTest {
    private static final long CHAIN_ID = 31_338;
    private final EmbeddedInfrastructure infra;
    private final AvroSerdes serdes;
    private final ChainTopics topics;
    private EmbeddedAnvil anvil;

    ChainNodeOutageIntegrationTest(EmbeddedInfrastructure infra) {
        this.infra = infra;
        this.serdes = AvroSerdes.forRegistry(infra.registryUrl());
        this.topics = new ChainTopics(infra.bootstrapServers(), serdes);
        TopicProvisioner.ensureAll(infra.bootstrapServers(), 1);
    }

    @AfterEach
    void stopNode() {
        if (anvil != null) {
            anvil.close();
        }
    }

    @Test
    void aWatcherWhoseNodeWentAwayIsStartedAgainAndSeesWhatIsPaidAfterItCameBack(@TempDir Path dir) throws Exception {
        int port = FreePorts.next();
        anvil = EmbeddedAnvil.on(port, dir, CHAIN_ID).start();
        ChainWatcher.Settings settings = ChainWatcher.Settings.of(anvil.rpcUrl(), CHAIN_ID, 1, List.of());
        try (Restarting<ChainWatcher> watcher = new Restarting<>("chain watcher", () -> new ChainWatcher(
                infra.bootstrapServers(), serdes, settings), ChainWatcher::failure, Duration.ofMillis(200),
                Duration.ofSeconds(2), Duration.ofMinutes(1))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> watcher.current().map(w -> w.lastBlock() >= 0).orElse(false));
            Invoice before = invoice("outage:before/1");
            try (LocalChain chain = new LocalChain(anvil.rpcUrl(), CHAIN_ID)) {
                chain.sendEth(1, before.getDepositAddress(), BigInteger.valueOf(1_000_000));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !payments(before).isEmpty());
            int paymentsBefore = payments(before).size();

            anvil.close();
            int startsBefore = watcher.starts();
            // failing, and started again and again while the node is away
            await().atMost(Duration.ofSeconds(30)).until(() -> watcher.starts() >= startsBefore + 2);

            anvil = EmbeddedAnvil.on(port, dir, CHAIN_ID).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> watcher.current().map(ChainWatcher::isRunning).orElse(false)
                    && watcher.current().get().lastBlock() >= 0);
            Invoice after = invoice("outage:after/1");
            try (LocalChain chain = new LocalChain(anvil.rpcUrl(), CHAIN_ID)) {
                chain.sendEth(1, after.getDepositAddress(), BigInteger.valueOf(2_000_000));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !payments(after).isEmpty());
            assertThat(payments(after).get(0).getTransfer().getAmount().getBaseUnits()).isEqualByComparingTo("2000000");
            assertThat(payments(before)).as("a payment from before the outage is not reported again").hasSize(paymentsBefore);
        }
    }

    private Invoice invoice(String id) throws Exception {
        return topics.publishInvoice(id, CHAIN_ID, "ETH", null, ChainTopics.freshAddress(), 0);
    }

    private List<ChainPayment> payments(Invoice invoice) {
        return topics.payments(p -> p.getInvoiceId().equals(invoice.getInvoiceId()));
    }
}
