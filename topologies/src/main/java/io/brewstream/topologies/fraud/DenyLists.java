package io.brewstream.topologies.fraud;

import java.util.Locale;

import io.brewstream.schemas.fraud.DenyListKind;

/** Keys of the deny list topic: {@code KIND:value}, values normalised to lower case. */
public final class DenyLists {
    private DenyLists() {
    }

    public static String key(DenyListKind kind, String value) {
        return kind.name() + ":" + value.trim().toLowerCase(Locale.ROOT);
    }
}
