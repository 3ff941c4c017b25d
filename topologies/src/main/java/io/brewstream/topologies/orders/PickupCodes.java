package io.brewstream.topologies.orders;

import java.security.SecureRandom;
import java.util.function.Supplier;

/** Short codes a customer reads out at the counter: four characters, none that look alike (0/O, 1/I/L). */
final class PickupCodes implements Supplier<String> {
    private static final char[] ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
    private static final int LENGTH = 4;
    private final SecureRandom random = new SecureRandom();

    @Override
    public String get() {
        char[] code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            code[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(code);
    }
}
