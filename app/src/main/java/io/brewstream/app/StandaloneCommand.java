package io.brewstream.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.brewstream.platform.config.Env;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = {"Runs everything in one JVM: Kafka broker, schema registry, every topology, the write and read APIs.",
                "Settings come from BREWSTREAM_* environment variables (see the README); options override them."})
final class StandaloneCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Where all data lives (default: $BREWSTREAM_DATA_DIR or ./data).")
    Path dataDir;

    @Option(names = "--fresh", description = "Wipe the data directory first.")
    boolean fresh;

    @Option(names = "--chain", description = "Also run a local Ethereum node (anvil, installed from npm on first use)"
            + " with a demo USDC token, and take crypto invoices on it.")
    boolean chain;

    @Option(names = "--simulate-market", description = "Also feed the arbitrage topology from a simulated market of"
            + " three venues, with dislocations, gaps, stalls and halts now and then.")
    boolean simulateMarket;

    @Override
    public Integer call() throws Exception {
        StandaloneSettings settings = StandaloneSettings.fromEnv(Env.system());
        settings = settings.withDataDir(dataDir != null ? dataDir : settings.dataDir(), fresh || settings.fresh())
                .withLocalChain(chain || settings.localChain())
                .withSimulatedMarket(simulateMarket || settings.simulateMarket());
        Standalone standalone = Standalone.start(settings);
        if (!standalone.awaitReady(Duration.ofMinutes(2))) {
            System.err.println("brewstream: not every topology is running yet; see /ready");
        }
        System.out.println(standalone.banner(settings.dataDir()));
        Shutdown.awaitThenClose(standalone, standalone.deadForGood());
        return 0;
    }
}
