package io.brewstream.topologies.bots;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import io.brewstream.schemas.bots.OutboundNotification;
import io.brewstream.schemas.bots.StaffChat;
import io.brewstream.schemas.fraud.FraudDecision;
import io.brewstream.schemas.fraud.FraudReason;
import io.brewstream.schemas.fraud.FraudScore;
import io.brewstream.schemas.inventory.LowStock;

/**
 * What a shop's staff chats are told: an ingredient running low, an order the fraud rules hold for review or
 * reject. Pure; one notification per active staff chat, its id derived from the alert and the chat, so the same
 * alert processed twice is sent once (the sender drops repeated ids).
 */
final class StaffAlerts {
    private StaffAlerts() {
    }

    /** The text for a low-stock event. */
    static String text(LowStock low) {
        return String.format(Locale.ROOT, "Low stock at %s: %s has %d %s left (threshold %d). Time to reorder.",
                low.getShopId(), low.getIngredientId(), low.getAvailable(), unit(low), low.getThreshold());
    }

    /** The text for a fraud alert; empty for an approved order (nothing for the staff to do). */
    static Optional<String> text(FraudScore score) {
        if (score.getDecision() == FraudDecision.APPROVE) {
            return Optional.empty();
        }
        String why = score.getReasons().stream().map(FraudReason::getDetail).collect(Collectors.joining("; "));
        return Optional.of(String.format(Locale.ROOT, "%s order %s at %s (risk %s, %.2f): %s.",
                score.getDecision() == FraudDecision.REVIEW ? "Check before you prepare:" : "Rejected:",
                score.getOrderId(), score.getShopId(), score.getLevel().name().toLowerCase(Locale.ROOT),
                score.getScore(), why.isEmpty() ? "no reason given" : why));
    }

    static String id(LowStock low) {
        return "low-stock:" + low.getShopId() + ":" + low.getIngredientId() + ":" + low.getDetectedAt().toEpochMilli();
    }

    static String id(FraudScore score) {
        return "fraud:" + score.getOrderId() + ":" + score.getScoredAt().toEpochMilli();
    }

    /** One notification per active staff chat of the shop. */
    static List<OutboundNotification> notify(List<StaffChat> chats, String alertId, String text, String orderId,
            Instant now) {
        return chats.stream().filter(StaffChat::getActive)
                .map(chat -> OutboundNotification.newBuilder().setNotificationId("staff:" + chat.getChatKey() + ":" + alertId)
                        .setChannel(chat.getPlatform()).setRecipient(chat.getChatKey()).setBotName(chat.getBotName())
                        .setText(text).setOrderId(orderId).setCreatedAt(now).build())
                .toList();
    }

    private static String unit(LowStock low) {
        return low.getUnit().name().toLowerCase(Locale.ROOT);
    }
}
