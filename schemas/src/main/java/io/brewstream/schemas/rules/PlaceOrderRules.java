package io.brewstream.schemas.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.brewstream.schemas.orders.OrderLine;
import io.brewstream.schemas.orders.PlaceOrder;

/**
 * The rules every new order must keep, whoever builds it: the HTTP ingress checks a request's fields with them,
 * the bots check the command a chat put together. Violations are named in the API's field names
 * ({@code items[0].quantity}). Prices are not here: they never come from the client.
 */
public final class PlaceOrderRules {
    public static final int MAX_ITEMS = 50;
    public static final int MAX_QUANTITY = 100;
    public static final int MAX_OPTIONS = 10;
    public static final int MAX_NOTE_LENGTH = 500;
    public static final int MAX_DEVICE_LENGTH = 128;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    /** A broken rule: the field, in the API's name for it, and what is wrong. */
    public record Violation(String field, String message) {
    }

    private PlaceOrderRules() {
    }

    public static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** Shop, customer, menu item and option ids: 1 to 64 letters, digits, '.', '_', ':' or '-'. */
    public static Optional<String> id(String value) {
        if (value == null || value.isBlank()) {
            return Optional.of("is required");
        }
        return isId(value) ? Optional.empty() : Optional.of("must be 1 to 64 letters, digits, '.', '_', ':' or '-'");
    }

    public static Optional<String> itemCount(int count) {
        if (count < 1) {
            return Optional.of("must list at least one item");
        }
        return count > MAX_ITEMS ? Optional.of("must list at most " + MAX_ITEMS + " items") : Optional.empty();
    }

    public static Optional<String> quantity(Integer quantity) {
        if (quantity == null) {
            return Optional.of("is required");
        }
        return quantity < 1 || quantity > MAX_QUANTITY
                ? Optional.of("must be between 1 and " + MAX_QUANTITY + ", was " + quantity) : Optional.empty();
    }

    public static Optional<String> optionCount(int count) {
        return count > MAX_OPTIONS ? Optional.of("must list at most " + MAX_OPTIONS + " options") : Optional.empty();
    }

    public static Optional<String> text(String value, boolean required, int maxLength) {
        if (value == null || value.isBlank()) {
            return required ? Optional.of("is required") : Optional.empty();
        }
        return value.length() > maxLength ? Optional.of("must be at most " + maxLength + " characters") : Optional.empty();
    }

    /** Every rule, for a command built outside the HTTP ingress. */
    public static List<Violation> check(PlaceOrder place) {
        List<Violation> violations = new ArrayList<>();
        add(violations, "shopId", id(place.getShopId()));
        add(violations, "customerId", id(place.getCustomerId()));
        add(violations, "deviceId", text(place.getDeviceId(), false, MAX_DEVICE_LENGTH));
        add(violations, "note", text(place.getNote(), false, MAX_NOTE_LENGTH));
        add(violations, "items", itemCount(place.getLines().size()));
        for (int i = 0; i < place.getLines().size() && i < MAX_ITEMS; i++) {
            OrderLine line = place.getLines().get(i);
            String path = "items[" + i + "]";
            add(violations, path + ".menuItemId", id(line.getMenuItemId()));
            add(violations, path + ".quantity", quantity(line.getQuantity()));
            add(violations, path + ".options", optionCount(line.getOptions().size()));
            for (int j = 0; j < line.getOptions().size(); j++) {
                add(violations, path + ".options[" + j + "]", id(line.getOptions().get(j)));
            }
        }
        return violations;
    }

    private static void add(List<Violation> violations, String field, Optional<String> problem) {
        problem.ifPresent(message -> violations.add(new Violation(field, message)));
    }
}
