package io.brewstream.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The brewstream command line: {@code java -jar brewstream.jar <command>}. */
@Command(name = "brewstream", mixinStandardHelpOptions = true, versionProvider = Brewstream.Version.class,
        description = "Event-streaming backbone for coffee shops, on Kafka Streams.",
        subcommands = {StandaloneCommand.class, IngressCommand.class, StreamsCommand.class, ConnectorsCommand.class,
                BenchCommand.class, TokenCommand.class, BotsCommand.class, AgentsCommand.class,
                DeadLettersCommand.class, SoakCommand.class})
public final class Brewstream {

    public static void main(String[] args) {
        int exit = new CommandLine(new Brewstream()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Brewstream.class.getPackage().getImplementationVersion();
            return new String[] {"brewstream " + (version == null ? "development build" : version)};
        }
    }
}
