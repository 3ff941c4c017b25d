package io.brewstream.queries.stores;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import io.brewstream.platform.http.Problem;
import io.brewstream.platform.http.ProblemException;
import io.javalin.http.Context;

/** Query parameters shared by the read routes, refused with a problem naming the parameter when malformed. */
public final class QueryParams {
    private QueryParams() {
    }

    /** The instants the stores can be asked about: epoch milliseconds from 1970 up to the year 9999. */
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * An ISO-8601 instant parameter between 1970 and the year 9999, or the default when it is absent. Instants
     * outside that range (Instant.parse takes years up to a billion) would overflow the stores' epoch
     * milliseconds.
     */
    public static Instant instant(Context ctx, String param, Instant defaultValue) {
        String value = ctx.queryParam(param);
        if (value == null) {
            return defaultValue;
        }
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(Problem.invalidFields(List.of(new Problem.FieldError(param,
                    "must be an ISO-8601 instant such as 2026-11-21T08:00:00Z"))));
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new ProblemException(Problem.invalidFields(List.of(new Problem.FieldError(param,
                    "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z"))));
        }
        return instant;
    }
}
