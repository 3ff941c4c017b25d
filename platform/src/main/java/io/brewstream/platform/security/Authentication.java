package io.brewstream.platform.security;

import java.util.Arrays;
import java.util.Set;

import io.brewstream.platform.http.Problem;
import io.brewstream.platform.http.ProblemException;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;

/**
 * Who may call which route. Runs before every matched route: a route's roles say who may call it
 * ({@link Access#PUBLIC}, {@link Access#AUTHENTICATED}, or the {@link Role}s it admits); everything else needs a
 * valid bearer token (RFC 6750), whose {@link Principal} the handler then reads with {@link #principal(Context)}
 * to narrow access down to the caller's own shops or orders ({@link #requireShop}, {@link #requireCustomer}).
 * A route that declares no roles is refused to everyone.
 */
public final class Authentication {
    private static final String PRINCIPAL = "brewstream.principal";
    private static final String REALM = "brewstream";
    /** Longer tokens are refused unread; real access tokens are a few kilobytes at most. */
    static final int MAX_TOKEN_LENGTH = 16_384;

    /** Reads a principal from a bearer token. */
    @FunctionalInterface
    public interface Verifier {
        Principal verify(String token) throws InvalidTokenException;
    }

    private final Verifier verifier;

    public Authentication(Verifier verifier) {
        this.verifier = verifier;
    }

    /** For a process that serves only public routes (health, readiness, metrics). */
    public static Authentication refusingAll() {
        return new Authentication(token -> {
            throw new InvalidTokenException("this process serves no API");
        });
    }

    /** The before-matched handler. */
    public void check(Context ctx) {
        Set<RouteRole> routeRoles = ctx.routeRoles();
        if (routeRoles.contains(Access.PUBLIC) || routeRoles.contains(Access.WEBHOOK)) {
            return;
        }
        Principal principal = authenticate(ctx);
        ctx.attribute(PRINCIPAL, principal);
        if (routeRoles.contains(Access.AUTHENTICATED)) {
            return;
        }
        if (routeRoles.isEmpty()) {
            throw forbidden("this route admits no one");
        }
        if (routeRoles.stream().noneMatch(r -> r instanceof Role role && principal.has(role))) {
            throw forbidden("this needs one of the roles " + routeRoles.stream().map(r -> ((Role) r).defaultClaimValue())
                    .sorted().toList());
        }
    }

    private Principal authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw unauthorized(null, "a bearer token is required (Authorization: Bearer <token>)");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("invalid_request", "the Authorization header must use the Bearer scheme");
        }
        String token = header.substring(7).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw unauthorized("invalid_token", "the bearer token is empty or too long");
        }
        try {
            return verifier.verify(token);
        } catch (InvalidTokenException e) {
            throw unauthorized("invalid_token", e.getMessage());
        }
    }

    /** The caller, on a route that is not public. */
    public static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("no principal on " + ctx.path() + ": the route is public");
        }
        return principal;
    }

    /** The caller, when the route was not public and a token was checked. */
    public static java.util.Optional<Principal> principalIfAny(Context ctx) {
        return java.util.Optional.ofNullable(ctx.attribute(PRINCIPAL));
    }

    /** Refuses (403) unless the caller acts for the shop in one of the roles. */
    public static Principal requireShop(Context ctx, String shopId, Role... roles) {
        Principal principal = principal(ctx);
        if (!principal.actsForShop(shopId, roles)) {
            throw forbidden("you do not act for shop " + shopId + " as "
                    + Arrays.stream(roles).map(Role::defaultClaimValue).toList());
        }
        return principal;
    }

    /** Refuses (403) unless the caller is the customer and has the customer role. */
    public static Principal requireCustomer(Context ctx, String customerId) {
        Principal principal = principal(ctx);
        if (!principal.isCustomer(customerId)) {
            throw forbidden("this belongs to another customer");
        }
        return principal;
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(new Problem("urn:brewstream:problem:forbidden", "Forbidden", 403, detail, null,
                java.util.List.of()));
    }

    private static ProblemException unauthorized(String error, String description) {
        String challenge = "Bearer realm=\"" + REALM + "\"" + (error == null ? ""
                : ", error=\"" + error + "\", error_description=\"" + quoted(description) + "\"");
        return new ProblemException(new Problem("urn:brewstream:problem:unauthorized", "Unauthorized", 401,
                description, null, java.util.List.of()), null, java.util.Map.of("WWW-Authenticate", challenge));
    }

    /** error_description is a quoted string of printable ASCII without quotes or backslashes (RFC 6750 3). */
    private static String quoted(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '\'');
        }
        return out.length() > 200 ? out.substring(0, 200) : out.toString();
    }
}
