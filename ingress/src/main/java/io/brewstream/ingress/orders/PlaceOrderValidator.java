package io.brewstream.ingress.orders;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.brewstream.platform.http.Problem.FieldError;
import io.brewstream.schemas.orders.ItemSize;

/** Checks a place-order request field by field and names every bad one. */
final class PlaceOrderValidator {
    static final int MAX_ITEMS = 50;
    static final int MAX_QUANTITY = 100;
    static final int MAX_OPTIONS = 10;
    static final int MAX_NOTE_LENGTH = 500;

    private PlaceOrderValidator() {
    }

    static List<FieldError> validate(PlaceOrderRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Fields.id(errors, "shopId", request.shopId());
        Fields.key(errors, "idempotencyKey", request.idempotencyKey());
        Fields.text(errors, "deviceId", request.deviceId(), false, 128);
        Fields.text(errors, "note", request.note(), false, MAX_NOTE_LENGTH);
        if (request.items() == null || request.items().isEmpty()) {
            errors.add(new FieldError("items", "must list at least one item"));
        } else if (request.items().size() > MAX_ITEMS) {
            errors.add(new FieldError("items", "must list at most " + MAX_ITEMS + " items"));
        } else {
            for (int i = 0; i < request.items().size(); i++) {
                item(errors, "items[" + i + "]", request.items().get(i));
            }
        }
        return errors;
    }

    /** The size named case-insensitively in ASCII ("medİum" with a dotted capital I is no size), or null. */
    static ItemSize size(String name) {
        for (ItemSize size : ItemSize.values()) {
            if (size.name().equals(name.toUpperCase(java.util.Locale.ROOT))) {
                return size;
            }
        }
        return null;
    }

    private static void item(List<FieldError> errors, String path, PlaceOrderRequest.Item item) {
        if (item == null) {
            errors.add(new FieldError(path, "must be an item, not null"));
            return;
        }
        Fields.id(errors, path + ".menuItemId", item.menuItemId());
        if (item.quantity() == null) {
            errors.add(new FieldError(path + ".quantity", "is required"));
        } else if (item.quantity() < 1 || item.quantity() > MAX_QUANTITY) {
            errors.add(new FieldError(path + ".quantity", "must be between 1 and " + MAX_QUANTITY + ", was " + item.quantity()));
        }
        if (item.size() != null && size(item.size()) == null) {
            errors.add(new FieldError(path + ".size", "must be one of " + Arrays.toString(ItemSize.values())));
        }
        if (item.options() != null) {
            if (item.options().size() > MAX_OPTIONS) {
                errors.add(new FieldError(path + ".options", "must list at most " + MAX_OPTIONS + " options"));
            }
            for (int j = 0; j < item.options().size(); j++) {
                Fields.id(errors, path + ".options[" + j + "]", item.options().get(j));
            }
        }
    }
}
