package io.brewstream.ingress.market;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.brewstream.ingress.kafka.CommandPublisher;
import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.HttpService;
import io.brewstream.platform.http.Json;
import io.brewstream.platform.http.Problem;
import io.brewstream.platform.http.Problem.FieldError;
import io.brewstream.platform.http.ProblemException;
import io.brewstream.platform.security.Role;
import io.brewstream.schemas.arbitrage.BookLevel;
import io.brewstream.schemas.arbitrage.BookUpdate;
import io.brewstream.schemas.topics.Topics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code POST /api/v1/market-data/book-updates}: a feed adapter (a service account with the {@code market-data}
 * role) posts a batch of order book updates as JSON:
 * <pre>{"updates":[{"venue":"alpha","pair":"ETH-USDC","sequence":812,"snapshot":false,
 *   "bids":[["3005.10","0.5"],["3004.90","0"]],"asks":[["3006.90","1.2"]],"halted":false,"venueTime":"2026-11-25T...",
 *   "lotSize":"0.0001"}]}</pre>
 * ({@code lotSize}, the venue's minimum lot for the pair, is optional and usually sent with snapshots.)
 * Prices and sizes are exact decimals (strings or numbers, never rounded through a double); a size 0 removes a level
 * in a delta. The whole batch is checked before anything is written (a 400 names every bad field); each update is
 * written keyed by its pair, so a venue's updates stay in order, and the answer (202) comes once all are on the topic.
 * Feeds may also write {@code BookUpdate} records to {@code arbitrage.book-updates} straight.
 */
public final class MarketDataRoutes implements HttpRoutes {
    public static final String PATH = "/api/v1/market-data/book-updates";
    static final int MAX_BATCH = 1_000;
    static final int MAX_LEVELS = 50;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern PAIR = Pattern.compile("[A-Z0-9]{2,12}-[A-Z0-9]{2,12}");

    private final CommandPublisher publisher;
    private final Clock clock;

    public MarketDataRoutes(CommandPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(PATH, this::receive, Role.MARKET_DATA);
    }

    private void receive(Context ctx) {
        JsonNode body;
        try {
            // numbers read as exact decimals, never through a double
            body = Json.mapper().reader(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw invalid(List.of(new FieldError("body", "is not well-formed JSON")));
        }
        JsonNode batch = body == null ? null : body.path("updates");
        if (batch == null || !batch.isArray() || batch.isEmpty() || batch.size() > MAX_BATCH) {
            throw invalid(List.of(new FieldError("updates", "is required: 1 to " + MAX_BATCH + " book updates")));
        }
        Instant now = clock.instant();
        List<FieldError> errors = new ArrayList<>();
        List<BookUpdate> updates = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            BookUpdate update = update(batch.get(i), "updates[" + i + "]", now, errors);
            if (update != null) {
                updates.add(update);
            }
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        List<CompletableFuture<Void>> written = updates.stream()
                .map(u -> publisher.publishAsync(Topics.BOOK_UPDATES, u.getPair(), u)).toList();
        ctx.future(() -> CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).handle((done, error) -> {
            if (error != null) {
                HttpService.fail(ctx, error);
            } else {
                ctx.status(202).json(Map.of("accepted", updates.size()));
            }
            return null;
        }));
    }

    private static BookUpdate update(JsonNode u, String at, Instant now, List<FieldError> errors) {
        int before = errors.size();
        String venue = u.path("venue").asText("");
        String pair = u.path("pair").asText("");
        if (!NAME.matcher(venue).matches()) {
            errors.add(new FieldError(at + ".venue", "is required: 1-64 of letters, digits, _ . -"));
        }
        if (!PAIR.matcher(pair).matches()) {
            errors.add(new FieldError(at + ".pair", "is required: BASE-QUOTE in capitals, e.g. ETH-USDC"));
        }
        if (!u.path("sequence").canConvertToLong() || u.path("sequence").asLong() < 0) {
            errors.add(new FieldError(at + ".sequence", "is required: the venue's sequence number, 0 or more"));
        }
        if (!u.path("snapshot").isBoolean()) {
            errors.add(new FieldError(at + ".snapshot", "is required: true for a snapshot, false for a delta"));
        }
        List<BookLevel> bids = levels(u.path("bids"), at + ".bids", errors);
        List<BookLevel> asks = levels(u.path("asks"), at + ".asks", errors);
        Instant venueTime = now;
        if (u.has("venueTime")) {
            try {
                venueTime = Instant.parse(u.path("venueTime").asText());
            } catch (RuntimeException e) {
                errors.add(new FieldError(at + ".venueTime", "is not an ISO-8601 instant"));
            }
        }
        BigDecimal lotSize = null;
        if (u.has("lotSize") && !u.path("lotSize").isNull()) {
            lotSize = decimal(u.path("lotSize"));
            if (lotSize == null || lotSize.signum() <= 0 || lotSize.scale() > 18 || lotSize.precision() - lotSize.scale() > 20) {
                errors.add(new FieldError(at + ".lotSize", "must be the venue's minimum lot for the pair: a positive"
                        + " exact decimal with at most 18 places"));
            }
        }
        if (errors.size() > before) {
            return null;
        }
        return BookUpdate.newBuilder().setVenue(venue).setPair(pair).setSequence(u.path("sequence").asLong())
                .setSnapshot(u.path("snapshot").asBoolean()).setBids(bids).setAsks(asks)
                .setHalted(u.path("halted").asBoolean(false)).setVenueTime(venueTime).setReceivedAt(now)
                .setLotSize(lotSize == null ? null : lotSize.setScale(18, RoundingMode.UNNECESSARY)).build();
    }

    private static List<BookLevel> levels(JsonNode side, String at, List<FieldError> errors) {
        List<BookLevel> levels = new ArrayList<>();
        if (side.isMissingNode()) {
            return levels;
        }
        if (!side.isArray() || side.size() > MAX_LEVELS) {
            errors.add(new FieldError(at, "must be an array of at most " + MAX_LEVELS + " [price, size] pairs"));
            return levels;
        }
        for (int i = 0; i < side.size(); i++) {
            JsonNode level = side.get(i);
            BigDecimal price = decimal(level.path(0));
            BigDecimal size = decimal(level.path(1));
            if (!level.isArray() || level.size() != 2 || price == null || size == null || price.signum() <= 0
                    || size.signum() < 0 || price.scale() > 18 || size.scale() > 18 || price.precision() - price.scale() > 20
                    || size.precision() - size.scale() > 20) {
                errors.add(new FieldError(at + "[" + i + "]", "must be [price, size]: a positive price and a size of 0 or"
                        + " more, exact decimals with at most 18 places"));
                continue;
            }
            levels.add(BookLevel.newBuilder().setPrice(price.setScale(18, RoundingMode.UNNECESSARY))
                    .setSize(size.setScale(18, RoundingMode.UNNECESSARY)).build());
        }
        return levels;
    }

    /** A decimal from a JSON string or number (numbers are read as big decimals: exact). */
    private static BigDecimal decimal(JsonNode node) {
        try {
            if (node.isTextual()) {
                return new BigDecimal(node.asText());
            }
            return node.isNumber() ? node.decimalValue() : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ProblemException invalid(List<FieldError> errors) {
        return new ProblemException(Problem.invalidFields(errors));
    }
}
