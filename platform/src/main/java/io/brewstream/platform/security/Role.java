package io.brewstream.platform.security;

import java.util.Locale;

import io.javalin.security.RouteRole;

/**
 * What a principal may do, from its token's role claim. People: customers, shop staff (barista actions, cash, the
 * queue), shop managers (also stock, prices, stats), fraud analysts. Service accounts: the bot gateway, the chain
 * watcher, the payment provider and market-data feed adapters.
 */
public enum Role implements RouteRole {
    CUSTOMER, STAFF, MANAGER, ANALYST, BOT_GATEWAY, CHAIN_WATCHER, PAYMENT_PROVIDER, MARKET_DATA;

    /** The role's name in tokens unless configured otherwise: {@code customer}, {@code bot-gateway}, ... */
    public String defaultClaimValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Shop staff and managers act for shops; a manager may do whatever staff may at the same shops. */
    public boolean actsForShops() {
        return this == STAFF || this == MANAGER;
    }
}
