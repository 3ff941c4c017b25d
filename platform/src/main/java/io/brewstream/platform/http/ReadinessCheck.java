package io.brewstream.platform.http;

import java.util.function.BooleanSupplier;

/**
 * Whether one part of the process can serve traffic; /ready answers 200 only when every essential one can, and
 * lists all of them.
 */
public interface ReadinessCheck {
    String name();

    boolean ready();

    /** Whether /ready answers 503 while this one is not ready (else it is only reported). */
    default boolean essential() {
        return true;
    }

    static ReadinessCheck of(String name, BooleanSupplier ready) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean ready() {
                return ready.getAsBoolean();
            }
        };
    }
}
