package io.brewstream.ingress.orders;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.brewstream.platform.http.Problem.FieldError;
import io.brewstream.schemas.orders.ItemSize;
import io.brewstream.schemas.rules.PlaceOrderRules;

/**
 * Checks a place-order request field by field and names every bad one, with the rules every new order keeps
 * ({@link PlaceOrderRules}, which the bots apply too); what only a JSON request can get wrong (an unknown size name,
 * a null item) is checked here.
 */
final class PlaceOrderValidator {

    private PlaceOrderValidator() {
    }

    static List<FieldError> validate(PlaceOrderRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Fields.id(errors, "shopId", request.shopId());
        Fields.key(errors, "idempotencyKey", request.idempotencyKey());
        Fields.text(errors, "deviceId", request.deviceId(), false, PlaceOrderRules.MAX_DEVICE_LENGTH);
        Fields.text(errors, "note", request.note(), false, PlaceOrderRules.MAX_NOTE_LENGTH);
        Optional<String> count = PlaceOrderRules.itemCount(request.items() == null ? 0 : request.items().size());
        if (count.isPresent()) {
            errors.add(new FieldError("items", count.get()));
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
        PlaceOrderRules.quantity(item.quantity()).ifPresent(m -> errors.add(new FieldError(path + ".quantity", m)));
        if (item.size() != null && size(item.size()) == null) {
            errors.add(new FieldError(path + ".size", "must be one of " + Arrays.toString(ItemSize.values())));
        }
        if (item.options() != null) {
            PlaceOrderRules.optionCount(item.options().size())
                    .ifPresent(m -> errors.add(new FieldError(path + ".options", m)));
            for (int j = 0; j < item.options().size(); j++) {
                Fields.id(errors, path + ".options[" + j + "]", item.options().get(j));
            }
        }
    }
}
