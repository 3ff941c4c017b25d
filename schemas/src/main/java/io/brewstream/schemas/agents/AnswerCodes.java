package io.brewstream.schemas.agents;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The short code a person types to answer a task that asked for input ({@code /answer K7QF2M yes}): six characters
 * of Crockford's base32 (no I, L, O or U, so nothing is misread) from a SHA-256 of the task id. The agent that asks and
 * the router that takes the answer both compute it, so it travels in no record; 30 bits make a clash between the few
 * questions open at once unlikely, and an answer is taken only from the asking shop's staff.
 */
public final class AnswerCodes {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    public static final int LENGTH = 6;

    private AnswerCodes() {
    }

    public static String of(String taskId) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(taskId.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        long bits = 0;
        for (int i = 0; i < 4; i++) {
            bits = (bits << 8) | (hash[i] & 0xff);
        }
        char[] code = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            code[i] = ALPHABET[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(code);
    }

    /** A typed code as the router keys it: upper case, with the letters people confuse read as the digits they look like. */
    public static String normalize(String typed) {
        return typed.trim().toUpperCase(Locale.ROOT).replace('O', '0').replace('I', '1').replace('L', '1');
    }
}
