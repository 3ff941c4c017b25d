package io.brewstream.ingress.orders;

import io.brewstream.schemas.rules.PlaceOrderRules;
import java.util.List;
import java.util.regex.Pattern;

import io.brewstream.platform.http.Problem.FieldError;

/** Field checks shared by the request validators; each adds a named error when the value is bad. */
final class Fields {
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private Fields() {
    }

    static boolean isId(String value) {
        return PlaceOrderRules.isId(value);
    }

    static void id(List<FieldError> errors, String field, String value) {
        PlaceOrderRules.id(value).ifPresent(message -> errors.add(new FieldError(field, message)));
    }

    static void key(List<FieldError> errors, String field, String value) {
        if (value != null && !KEY.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be 1 to 255 printable ASCII characters without spaces"));
        }
    }

    static void text(List<FieldError> errors, String field, String value, boolean required, int maxLength) {
        PlaceOrderRules.text(value, required, maxLength).ifPresent(message -> errors.add(new FieldError(field, message)));
    }
}
