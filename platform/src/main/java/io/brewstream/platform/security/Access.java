package io.brewstream.platform.security;

import io.javalin.security.RouteRole;

/**
 * Route roles that are not a {@link Role}: who may call a route regardless of role. A route declares either
 * these or the {@link Role}s it admits; a route that declares nothing is refused to everyone (deny by default).
 */
public enum Access implements RouteRole {
    /** No token needed: {@code /health}, {@code /ready}, the issuer's discovery document and keys, and webhooks
     * that carry their sender's own signature instead. */
    PUBLIC,
    /**
     * No token: a webhook whose sender proves itself with its own signature or secret (Stripe, Telegram), checked by
     * the route. Not limited per address: a provider sends everything from a few addresses of its own.
     */
    WEBHOOK,
    /** Any valid token, whatever its roles; the handler narrows it down to the principal's own data. */
    AUTHENTICATED
}
