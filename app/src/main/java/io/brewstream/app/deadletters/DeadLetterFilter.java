package io.brewstream.app.deadletters;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import io.brewstream.schemas.common.DeadLetter;

/**
 * Which dead letters an operator asks for: by source topic, by a piece of the reason (any case), by the application
 * that wrote them, and by when they failed ({@code since} inclusive, {@code until} exclusive). Pure.
 */
public record DeadLetterFilter(Optional<String> sourceTopic, Optional<String> reason, Optional<String> application,
        Optional<Instant> since, Optional<Instant> until) {
    public DeadLetterFilter {
        // a dead letter's time is kept to the millisecond: compare at that precision
        since = since.map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        until = until.map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    public static final DeadLetterFilter ALL = new DeadLetterFilter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public boolean test(DeadLetter letter) {
        return sourceTopic.map(t -> t.equals(letter.getSourceTopic())).orElse(true)
                && reason.map(r -> letter.getReason().toLowerCase(Locale.ROOT).contains(r.toLowerCase(Locale.ROOT))
                        || (letter.getExceptionClass() != null && letter.getExceptionClass().toLowerCase(Locale.ROOT)
                                .contains(r.toLowerCase(Locale.ROOT)))).orElse(true)
                && application.map(a -> a.equals(letter.getApplication())).orElse(true)
                && since.map(s -> !letter.getFailedAt().isBefore(s)).orElse(true)
                && until.map(u -> letter.getFailedAt().isBefore(u)).orElse(true);
    }

    /**
     * A dead letter's reason as a metric label: its exception's simple name when it has one, else the reason up to
     * its first colon or parenthesis with digits folded, so labels stay few whatever the reasons say.
     */
    public static String reasonLabel(DeadLetter letter) {
        if (letter.getExceptionClass() != null && !letter.getExceptionClass().isBlank()) {
            String name = letter.getExceptionClass();
            return name.substring(name.lastIndexOf('.') + 1);
        }
        String reason = letter.getReason();
        int cut = reason.length();
        for (char stop : new char[] {':', '('}) {
            int at = reason.indexOf(stop);
            if (at > 0) {
                cut = Math.min(cut, at);
            }
        }
        String label = reason.substring(0, cut).replaceAll("[0-9]+", "#").trim();
        return label.length() > 60 ? label.substring(0, 60) : label;
    }
}
