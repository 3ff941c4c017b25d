package io.brewstream.platform.security;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, from a validated token: the subject, its roles, the shops it acts for and, for a customer,
 * the customer id. Nothing here ever comes from a request body.
 *
 * @param shops     shop ids staff and managers act for; {@link #ALL_SHOPS} for the whole chain
 * @param customerId the customer a customer token speaks for, empty otherwise
 */
public record Principal(String subject, Set<Role> roles, Set<String> shops, Optional<String> customerId,
        Instant expiresAt) {
    /** A shops claim value that stands for every shop of the chain. */
    public static final String ALL_SHOPS = "*";

    public Principal {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        shops = Set.copyOf(shops);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean hasAny(Set<Role> wanted) {
        return wanted.stream().anyMatch(roles::contains);
    }

    /** Whether this principal acts for the shop in one of the given roles (staff or manager). */
    public boolean actsForShop(String shopId, Role... asOneOf) {
        boolean roleFits = false;
        for (Role role : asOneOf) {
            roleFits |= roles.contains(role);
        }
        return roleFits && (shops.contains(ALL_SHOPS) || shops.contains(shopId));
    }

    /** Whether this is the given customer's own token. */
    public boolean isCustomer(String customer) {
        return roles.contains(Role.CUSTOMER) && customerId.isPresent() && customerId.get().equals(customer);
    }
}
