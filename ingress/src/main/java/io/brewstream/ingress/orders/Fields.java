package io.brewstream.ingress.orders;

import java.util.List;
import java.util.regex.Pattern;

import io.brewstream.platform.http.Problem.FieldError;

/** Field checks shared by the request validators; each adds a named error when the value is bad. */
final class Fields {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private Fields() {
    }

    static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    static void id(List<FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
        } else if (!isId(value)) {
            errors.add(new FieldError(field, "must be 1 to 64 letters, digits, '.', '_', ':' or '-'"));
        }
    }

    static void key(List<FieldError> errors, String field, String value) {
        if (value != null && !KEY.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be 1 to 255 printable ASCII characters without spaces"));
        }
    }

    static void text(List<FieldError> errors, String field, String value, boolean required, int maxLength) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
        } else if (value.length() > maxLength) {
            errors.add(new FieldError(field, "must be at most " + maxLength + " characters"));
        }
    }
}
