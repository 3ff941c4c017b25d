package io.brewstream.platform.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Settings from environment variables, each with a default so the embedded setup needs none. Names are
 * {@code BREWSTREAM_*}; a JVM system property of the same name wins, which tests use.
 */
public final class Env {
    private final Map<String, String> environment;
    private final Map<String, String> defaults;

    public Env(Map<String, String> environment) {
        this(environment, Map.of());
    }

    private Env(Map<String, String> environment, Map<String, String> defaults) {
        this.environment = Map.copyOf(environment);
        this.defaults = Map.copyOf(defaults);
    }

    /** These settings as defaults under the environment's own (a mode such as {@code standalone --chain} sets them). */
    public Env withDefaults(Map<String, String> more) {
        Map<String, String> merged = new java.util.HashMap<>(defaults);
        merged.putAll(more);
        return new Env(environment, merged);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public Optional<String> optional(String name) {
        String value = System.getProperty(name, environment.getOrDefault(name, defaults.get(name)));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public int integer(String name, int defaultValue) {
        return optional(name).map(v -> parse(name, v, Integer::parseInt)).orElse(defaultValue);
    }

    public boolean bool(String name, boolean defaultValue) {
        return optional(name).map(Boolean::parseBoolean).orElse(defaultValue);
    }

    public Duration duration(String name, Duration defaultValue) {
        return optional(name).map(v -> parse(name, v, Env::parseDuration)).orElse(defaultValue);
    }

    public Path path(String name, Path defaultValue) {
        return optional(name).map(Path::of).orElse(defaultValue);
    }

    /** Accepts ISO-8601 (PT5S) or a number with a unit: 250ms, 5s, 2m, 1h. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        if (t.startsWith("p")) {
            return Duration.parse(t.toUpperCase());
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long amount = Long.parseLong(t.substring(0, t.length() - 1));
        switch (t.charAt(t.length() - 1)) {
            case 's': return Duration.ofSeconds(amount);
            case 'm': return Duration.ofMinutes(amount);
            case 'h': return Duration.ofHours(amount);
            case 'd': return Duration.ofDays(amount);
            default: throw new IllegalArgumentException("unknown duration unit in " + text);
        }
    }

    private static <T> T parse(String name, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad value for " + name + ": '" + value + "' (" + e.getMessage() + ")", e);
        }
    }
}
