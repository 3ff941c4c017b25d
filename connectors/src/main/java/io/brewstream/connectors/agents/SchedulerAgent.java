package io.brewstream.connectors.agents;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.brewstream.schemas.agents.AgentCard;
import io.brewstream.schemas.agents.AgentTask;
import io.brewstream.schemas.agents.Skills;
import io.brewstream.schemas.orders.OrderEventKind;
import io.brewstream.schemas.orders.OrderStatus;
import io.brewstream.schemas.reference.Shop;
import io.brewstream.schemas.serde.AvroSerdes;
import io.brewstream.schemas.topics.Topics;

/**
 * The scheduler: barista shifts for a shop from its last weeks' orders per hour ({@link ShiftPlanner}). It folds
 * {@code orders.events} (read whole: each order placed once, at its shop's local hour) and {@code reference.shops}
 * (for the time zone) into counts per shop, week, day and hour, keeping the last weeks only.
 */
public final class SchedulerAgent extends TopicAgent {
    private final ShiftPlanner planner;
    private final int weeks;
    private final Map<String, ShiftPlanner.OrdersByHour> history = new ConcurrentHashMap<>();
    private final Map<String, Shop> shops = new ConcurrentHashMap<>();

    public SchedulerAgent(String bootstrapServers, AvroSerdes serdes, String agentId, Duration heartbeat,
            ShiftPlanner planner, int weeks) {
        super(bootstrapServers, serdes, agentId, heartbeat);
        this.planner = planner;
        this.weeks = weeks;
        reads(new TopicView<>(bootstrapServers, serdes, Topics.SHOPS, (key, shop, at) -> {
            if (shop == null) {
                shops.remove(key);
            } else {
                shops.put(key, shop);
            }
        }));
        reads(new TopicView<>(bootstrapServers, serdes, Topics.ORDER_EVENTS, (key, event, at) -> {
            if (event != null && event.getKind() == OrderEventKind.TRANSITION && event.getAccepted()
                    && event.getFromStatus() == null && event.getToStatus() == OrderStatus.PLACED
                    && event.getShopId() != null) {
                ShiftPlanner.OrdersByHour counts = history.computeIfAbsent(event.getShopId(),
                        s -> new ShiftPlanner.OrdersByHour(weeks));
                synchronized (counts) {
                    counts.placed(event.getOccurredAt(), zone(event.getShopId()));
                }
            }
        }));
    }

    private ZoneId zone(String shopId) {
        Shop shop = shops.get(shopId);
        try {
            return shop == null ? ZoneId.of("UTC") : ZoneId.of(shop.getTimezone());
        } catch (java.time.DateTimeException e) {
            return ZoneId.of("UTC");
        }
    }

    @Override
    protected AgentCard.Builder describe() {
        return AgentCard.newBuilder().setName("Scheduler").setVersion("1.0.0")
                .setDescription("Proposes barista shifts for a shop's week from its orders per hour over the last weeks.")
                .setSkills(List.of(skill(Skills.PROPOSE_SHIFTS, "Propose shifts",
                        "Given a shopId, proposes each day's barista shifts (" + planner.minShiftHours() + " to "
                                + planner.maxShiftHours() + " hours; one barista per " + planner.ordersPerBaristaHour()
                                + " orders an hour) from the last " + weeks + " weeks' orders.",
                        List.of("staff", "schedule"), List.of("{\"shopId\":\"berlin-mitte\"}"))))
                .setDefaultInputModes(List.of("application/json")).setDefaultOutputModes(List.of("application/json"))
                .setMaxConcurrency(4);
    }

    @Override
    protected Outcome work(AgentTask task) {
        JsonNode request = data(task).orElse(null);
        if (request == null || !request.path("shopId").isTextual()) {
            return Outcome.rejected("a shopId as data is needed");
        }
        String shopId = request.get("shopId").asText();
        if (!shops.containsKey(shopId)) {
            return Outcome.rejected("no shop " + shopId);
        }
        ShiftPlanner.OrdersByHour counts = history.get(shopId);
        if (counts == null) {
            return Outcome.completed(artifact("no-shifts-" + task.getTaskId(), "no-shifts",
                    "No orders at " + shopId + " in the last " + weeks + " weeks: nothing to plan from.",
                    JSON.createObjectNode().put("shopId", shopId).put("weeksSeen", 0)));
        }
        ShiftPlanner.Plan plan;
        synchronized (counts) {
            plan = planner.plan(counts);
        }
        ObjectNode data = JSON.createObjectNode().put("shopId", shopId).put("weeksSeen", plan.weeksSeen())
                .put("timezone", zone(shopId).getId()).put("baristaHours", plan.baristaHours());
        ArrayNode shifts = data.putArray("shifts");
        List<String> days = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            List<ShiftPlanner.Shift> today = plan.shifts().stream().filter(s -> s.day() == day).toList();
            today.forEach(s -> shifts.addObject().put("day", day.name()).put("from", String.format(Locale.ROOT,
                    "%02d:00", s.fromHour())).put("to", String.format(Locale.ROOT, "%02d:00", s.toHour()))
                    .put("barista", s.barista()));
            if (!today.isEmpty()) {
                days.add(day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + String.join(", ", today.stream()
                        .map(s -> String.format(Locale.ROOT, "%02d-%02d", s.fromHour(), s.toHour())).toList()));
            }
        }
        String text = String.format(Locale.ROOT, "Shifts for %s from %d week(s) of orders, %d barista hours: %s.",
                shopId, plan.weeksSeen(), plan.baristaHours(), days.isEmpty() ? "none" : String.join("; ", days));
        return Outcome.completed(artifact("shifts-" + task.getTaskId(), "shift-proposal", text, data));
    }
}
