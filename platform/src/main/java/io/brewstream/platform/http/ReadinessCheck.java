package io.brewstream.platform.http;

import java.util.function.BooleanSupplier;

/** Whether one part of the process can serve traffic; /ready answers 200 only when all can. */
public interface ReadinessCheck {
    String name();

    boolean ready();

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
