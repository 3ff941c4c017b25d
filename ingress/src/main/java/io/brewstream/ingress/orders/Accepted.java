package io.brewstream.ingress.orders;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.brewstream.schemas.common.Channel;
import io.brewstream.schemas.orders.OrderCommand;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The envelope of order commands, their counters, and the 202 answer once one is recorded. */
final class Accepted {
    static final String ORDERS_PATH = "/api/v1/orders";

    private Accepted() {
    }

    static OrderCommand command(String orderId, Object body, Clock clock) {
        return OrderCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setOrderId(orderId)
                .setChannel(Channel.APP)
                .setIssuedAt(clock.instant())
                .setCommand(body)
                .build();
    }

    /** The ingress's count of one command's outcomes (accepted or refused). */
    static Counter counter(MeterRegistry registry, String command, String outcome) {
        return Counter.builder("brewstream.ingress.commands")
                .description("Commands received by the ingress")
                .tag("command", command).tag("outcome", outcome).register(registry);
    }

    /**
     * Answers once the broker has the command ({@code answer}), or with its 503 problem, without holding a server
     * thread while the broker acknowledges.
     */
    static void whenWritten(Context ctx, java.util.concurrent.CompletableFuture<Void> written, Runnable answer) {
        ctx.future(() -> written.handle((done, error) -> {
            if (error != null) {
                io.brewstream.platform.http.HttpService.fail(ctx, error);
            } else {
                answer.run();
            }
            return null;
        }));
    }

    /** 202 with the order's Location; the outcome shows on the order (long-poll it with waitFor). */
    static void answer(Context ctx, String queryBaseUrl, String orderId, String commandId) {
        String location = queryBaseUrl + ORDERS_PATH + "/" + orderId;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", orderId);
        if (commandId != null) {
            body.put("commandId", commandId);
        }
        body.put("status", "ACCEPTED");
        body.put("links", Map.of("order", location));
        ctx.status(202).header("Location", location).json(body);
    }
}
