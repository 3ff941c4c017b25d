package io.brewstream.platform.security;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import io.brewstream.platform.config.Env;

/**
 * How tokens are checked and read, from the environment. Any OpenID Connect provider works by configuration:
 * its issuer (the {@code iss} of its tokens), where its keys are (found through its discovery document unless
 * given), the audience this product answers to, and which claims hold roles, shops and the customer id.
 *
 * @param issuer        {@code BREWSTREAM_OIDC_ISSUER}; empty: the development issuer of the standalone stack
 * @param jwksUrl       {@code BREWSTREAM_OIDC_JWKS_URL}; empty: {@code jwks_uri} of the issuer's discovery document
 * @param audience      {@code BREWSTREAM_OIDC_AUDIENCE}, default {@value #DEFAULT_AUDIENCE}
 * @param clockSkew     {@code BREWSTREAM_OIDC_CLOCK_SKEW}, default 60 s: allowed for exp and nbf
 * @param keyRefetchInterval {@code BREWSTREAM_OIDC_KEY_REFETCH_INTERVAL}, default 30 s: a token signed by an
 *                      unknown key makes the keys be fetched again, at most once per interval
 * @param keyCacheTime  {@code BREWSTREAM_OIDC_KEY_CACHE_TIME}, default 5 min: how long fetched keys are used
 * @param rolesClaim    {@code BREWSTREAM_OIDC_ROLES_CLAIM}, default {@code roles}; a dotted path reaches into
 *                      objects ({@code realm_access.roles} for Keycloak realm roles)
 * @param shopsClaim    {@code BREWSTREAM_OIDC_SHOPS_CLAIM}, default {@code shops}: a list or a space-separated string
 * @param customerClaim {@code BREWSTREAM_OIDC_CUSTOMER_CLAIM}, default {@code customer_id}; a customer token
 *                      without it speaks for its subject
 * @param roleNames     {@code BREWSTREAM_OIDC_ROLE_NAMES}, e.g. {@code staff=barista,manager=shop-manager}: the
 *                      value of each role in the roles claim; unnamed roles keep {@link Role#defaultClaimValue()}
 */
public record IdentitySettings(Optional<String> issuer, Optional<String> jwksUrl, String audience, Duration clockSkew,
        Duration keyRefetchInterval, Duration keyCacheTime, String rolesClaim, String shopsClaim, String customerClaim,
        Map<Role, String> roleNames) {
    public static final String DEFAULT_AUDIENCE = "brewstream";

    public IdentitySettings {
        roleNames = Map.copyOf(roleNames);
    }

    public static IdentitySettings from(Env env) {
        return new IdentitySettings(
                env.optional("BREWSTREAM_OIDC_ISSUER"),
                env.optional("BREWSTREAM_OIDC_JWKS_URL"),
                env.string("BREWSTREAM_OIDC_AUDIENCE", DEFAULT_AUDIENCE),
                env.duration("BREWSTREAM_OIDC_CLOCK_SKEW", Duration.ofSeconds(60)),
                env.duration("BREWSTREAM_OIDC_KEY_REFETCH_INTERVAL", Duration.ofSeconds(30)),
                env.duration("BREWSTREAM_OIDC_KEY_CACHE_TIME", Duration.ofMinutes(5)),
                env.string("BREWSTREAM_OIDC_ROLES_CLAIM", "roles"),
                env.string("BREWSTREAM_OIDC_SHOPS_CLAIM", "shops"),
                env.string("BREWSTREAM_OIDC_CUSTOMER_CLAIM", "customer_id"),
                roleNames(env.string("BREWSTREAM_OIDC_ROLE_NAMES", "")));
    }

    /** The defaults, with the given issuer: what the development issuer and tests use. */
    public static IdentitySettings defaults(String issuer) {
        return from(new Env(Map.of())).withIssuer(issuer);
    }

    public IdentitySettings withIssuer(String newIssuer) {
        return new IdentitySettings(Optional.of(newIssuer), jwksUrl, audience, clockSkew, keyRefetchInterval,
                keyCacheTime, rolesClaim, shopsClaim, customerClaim, roleNames);
    }

    public IdentitySettings withJwksUrl(String url) {
        return new IdentitySettings(issuer, Optional.of(url), audience, clockSkew, keyRefetchInterval, keyCacheTime,
                rolesClaim, shopsClaim, customerClaim, roleNames);
    }

    public IdentitySettings withClaims(String roles, String shops, String customer, Map<Role, String> names) {
        return new IdentitySettings(issuer, jwksUrl, audience, clockSkew, keyRefetchInterval, keyCacheTime, roles,
                shops, customer, names);
    }

    /** The value that stands for the role in the roles claim. */
    public String claimValue(Role role) {
        return roleNames.getOrDefault(role, role.defaultClaimValue());
    }

    static Map<Role, String> roleNames(String spec) {
        Map<Role, String> names = new EnumMap<>(Role.class);
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.split("=", 2);
            if (parts.length != 2 || parts[1].isBlank()) {
                throw new IllegalArgumentException("BREWSTREAM_OIDC_ROLE_NAMES: '" + pair + "' is not role=name");
            }
            Role role = null;
            for (Role r : Role.values()) {
                if (r.defaultClaimValue().equals(parts[0].trim()) || r.name().equalsIgnoreCase(parts[0].trim())) {
                    role = r;
                }
            }
            if (role == null) {
                throw new IllegalArgumentException("BREWSTREAM_OIDC_ROLE_NAMES: unknown role '" + parts[0].trim() + "'");
            }
            names.put(role, parts[1].trim());
        }
        return names;
    }
}
