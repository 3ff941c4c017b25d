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

    /** An ISO-8601 instant parameter, or the default when it is absent. */
    public static Instant instant(Context ctx, String param, Instant defaultValue) {
        String value = ctx.queryParam(param);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(Problem.invalidFields(List.of(new Problem.FieldError(param,
                    "must be an ISO-8601 instant such as 2026-11-21T08:00:00Z"))));
        }
    }
}
