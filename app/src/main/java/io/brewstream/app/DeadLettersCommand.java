package io.brewstream.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.brewstream.app.deadletters.DeadLetterFilter;
import io.brewstream.app.deadletters.DeadLetterLog;
import io.brewstream.platform.config.Env;
import io.brewstream.schemas.common.DeadLetter;
import io.brewstream.schemas.serde.AvroSerdes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What failed, for operators: {@code brewstream dead-letters list|show|replay}. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
        description = {"list: the dead letters, filtered (--topic, --reason, --application, --since, --until);",
                "show ID: one, its record decoded; replay ID... (or --matching with the filters): writes each record",
                "back to the topic it was read from, once (a second replay of it writes nothing).",
                "An ID is partition:offset on dead-letters. BREWSTREAM_BOOTSTRAP_SERVERS, BREWSTREAM_REGISTRY_URL."})
final class DeadLettersCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "list, show or replay")
    String action;

    @Parameters(index = "1..*", arity = "0..*", description = "show, replay: dead letter ids (partition:offset)")
    List<String> ids = List.of();

    @Option(names = "--topic", description = "Only those from this source topic.")
    String topic;

    @Option(names = "--reason", description = "Only those whose reason or exception contains this (any case).")
    String reason;

    @Option(names = "--application", description = "Only those this application wrote, e.g. brewstream-orders.")
    String application;

    @Option(names = "--since", description = "Only those that failed since: an instant (2026-12-06T10:00:00Z) or a time ago (2h).")
    String since;

    @Option(names = "--until", description = "Only those that failed before: an instant or a time ago.")
    String until;

    @Option(names = "--limit", defaultValue = "100", description = "list: at most this many (default 100).")
    int limit;

    @Option(names = "--matching", description = "replay: every dead letter the filters select.")
    boolean matching;

    @Option(names = "--by", description = "replay: who replays, recorded with it (default: the user name).")
    String by;

    @Override
    public Integer call() {
        ClusterSettings cluster = ClusterSettings.fromEnv(Env.system());
        DeadLetterLog log = new DeadLetterLog(cluster.bootstrapServers(), AvroSerdes.forRegistry(cluster.registryUrl()));
        DeadLetterFilter filter = new DeadLetterFilter(Optional.ofNullable(topic), Optional.ofNullable(reason),
                Optional.ofNullable(application), Optional.ofNullable(since).map(DeadLettersCommand::instant),
                Optional.ofNullable(until).map(DeadLettersCommand::instant));
        switch (action) {
            case "list" -> {
                var replayed = log.replayed();
                List<DeadLetterLog.Entry> entries = log.list(filter, limit);
                System.out.println("ID\tFAILED AT\tAPPLICATION\tSOURCE\tEXCEPTION\tREASON\tREPLAYED");
                for (DeadLetterLog.Entry e : entries) {
                    DeadLetter l = e.letter();
                    System.out.println(e.id() + "\t" + l.getFailedAt() + "\t" + l.getApplication() + "\t"
                            + l.getSourceTopic() + (l.getSourceOffset() == null ? "" : "@" + l.getSourcePartition() + ":"
                            + l.getSourceOffset()) + "\t" + (l.getExceptionClass() == null ? "-" : l.getExceptionClass())
                            + "\t" + l.getReason() + "\t" + (replayed.contains(e.id()) ? "yes"
                            : e.replayable() ? "no" : "not replayable"));
                }
                System.out.println(entries.size() + " dead letter(s)" + (entries.size() == limit ? " (--limit reached)" : ""));
                return 0;
            }
            case "show" -> {
                int missing = 0;
                for (String id : ids) {
                    Optional<DeadLetterLog.Entry> entry = log.get(id);
                    if (entry.isEmpty()) {
                        System.out.println(id + ": no such dead letter");
                        missing++;
                        continue;
                    }
                    DeadLetter l = entry.get().letter();
                    System.out.println("id:          " + id + "\nfailed at:   " + l.getFailedAt() + "\napplication: "
                            + l.getApplication() + "\nsource:      " + l.getSourceTopic() + (l.getSourceOffset() == null
                            ? " (not read from it)" : " partition " + l.getSourcePartition() + " offset " + l.getSourceOffset())
                            + "\nexception:   " + (l.getExceptionClass() == null ? "-" : l.getExceptionClass())
                            + "\nreason:      " + l.getReason() + "\nreplayable:  " + entry.get().replayable()
                            + "\nvalue:       " + log.decodedValue(entry.get()));
                }
                return missing == 0 ? 0 : 1;
            }
            case "replay" -> {
                List<String> chosen = matching ? log.list(filter, Integer.MAX_VALUE).stream()
                        .filter(DeadLetterLog.Entry::replayable).map(DeadLetterLog.Entry::id).toList() : ids;
                if (chosen.isEmpty()) {
                    throw new IllegalArgumentException("replay needs dead letter ids, or --matching with filters");
                }
                String who = by != null ? by : System.getProperty("user.name", "operator");
                int failed = 0;
                for (String id : chosen) {
                    DeadLetterLog.Outcome outcome = log.replay(id, who);
                    System.out.println(id + ": " + switch (outcome) {
                        case REPLAYED -> "replayed";
                        case ALREADY_REPLAYED -> "replayed before; nothing written";
                        case NOT_REPLAYABLE -> "not replayable (it was not read from a topic of ours)";
                        case UNKNOWN -> "no such dead letter";
                    });
                    if (outcome == DeadLetterLog.Outcome.NOT_REPLAYABLE || outcome == DeadLetterLog.Outcome.UNKNOWN) {
                        failed++;
                    }
                }
                return failed == 0 ? 0 : 1;
            }
            default -> throw new IllegalArgumentException("unknown action " + action + "; list, show or replay");
        }
    }

    private static Instant instant(String text) {
        return text.matches("\\d{4}-.*") ? Instant.parse(text) : Instant.now().minus(Env.parseDuration(text));
    }
}
