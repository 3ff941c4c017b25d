package io.brewstream.platform.security;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Checks a bearer token with nimbus-jose-jwt and reads its principal: the signature against the issuer's keys
 * (JWKS), the issuer, the audience, expiry and not-before within the allowed clock skew. A token signed with a
 * key id the cached key set does not hold makes the keys be fetched again (key rotation), at most once per
 * {@link IdentitySettings#keyRefetchInterval()}, so a flood of tokens with made-up key ids never hammers the issuer.
 */
public final class TokenVerifier implements Authentication.Verifier {
    /** Asymmetric algorithms only: a symmetric one would let anyone holding the JWKS forge tokens. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    /** How long a verified token is taken on trust again without checking its signature. */
    static final Duration TRUSTED_FOR = Duration.ofSeconds(60);
    /** Verified tokens remembered at most; beyond, the memory starts over. */
    static final int CACHE_SIZE = 20_000;

    private final IdentitySettings settings;
    private final ConfigurableJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Clock clock;
    /** A client sends the same token with every request: its signature is checked once a minute, not each time. */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(Principal principal, Instant until) {
    }

    public TokenVerifier(IdentitySettings settings, JWKSource<SecurityContext> keys) {
        this(settings, keys, Clock.systemUTC());
    }

    TokenVerifier(IdentitySettings settings, JWKSource<SecurityContext> keys, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        String issuer = settings.issuer().orElseThrow(() -> new IllegalArgumentException("no issuer configured"));
        // "JWT" (Keycloak and most providers), "at+jwt" (RFC 9068 access tokens) or no type at all
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                Set.of(settings.audience()), new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp"),
                null);
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * For a provider reached over HTTP: its keys from {@code jwksUrl}, or from the {@code jwks_uri} of its
     * discovery document, cached and re-fetched on an unknown key id at most once per refetch interval.
     */
    public static TokenVerifier forProvider(IdentitySettings settings) {
        String issuer = settings.issuer().orElseThrow(() -> new IllegalArgumentException(
                "BREWSTREAM_OIDC_ISSUER is not set"));
        URL jwks = settings.jwksUrl().map(TokenVerifier::url).orElseGet(() -> Discovery.jwksUri(issuer));
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(jwks)
                .cache(settings.keyCacheTime().toMillis(), 15_000)
                .rateLimited(settings.keyRefetchInterval().toMillis())
                .retrying(true)
                .outageTolerant(settings.keyCacheTime().toMillis() * 12)
                .build();
        return new TokenVerifier(settings, keys);
    }

    /**
     * The token's principal. A token verified within the last {@link #TRUSTED_FOR} (and not expired since) is
     * answered from memory, keyed by the whole token, so nothing about it can differ from what was verified.
     */
    @Override
    public Principal verify(String token) throws InvalidTokenException {
        Instant now = clock.instant();
        Verified known = verified.get(token);
        if (known != null && now.isBefore(known.until())) {
            return known.principal();
        }
        Principal principal = verifyNow(token);
        Instant expiry = principal.expiresAt().plus(settings.clockSkew());
        Instant until = now.plus(TRUSTED_FOR).isBefore(expiry) ? now.plus(TRUSTED_FOR) : expiry;
        if (verified.size() >= CACHE_SIZE) {
            verified.clear();
        }
        verified.put(token, new Verified(principal, until));
        return principal;
    }

    private Principal verifyNow(String token) throws InvalidTokenException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("the token is not a signed JWT");
        } catch (BadJOSEException e) {
            throw new InvalidTokenException(e.getMessage());
        } catch (JOSEException e) {
            // the keys could not be fetched, or fetching was rate limited after an unknown key id
            throw new InvalidTokenException("the token's signing key cannot be found: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new InvalidTokenException("the token cannot be read: " + e.getClass().getSimpleName(), e);
        }
        return principal(claims);
    }

    Principal principal(JWTClaimsSet claims) throws InvalidTokenException {
        Set<String> roleValues = new HashSet<>(strings(claim(claims.getClaims(), settings.rolesClaim())));
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Role role : Role.values()) {
            if (roleValues.contains(settings.claimValue(role))) {
                roles.add(role);
            }
        }
        Set<String> shops = new HashSet<>(strings(claim(claims.getClaims(), settings.shopsClaim())));
        Optional<String> customer = Optional.empty();
        if (roles.contains(Role.CUSTOMER)) {
            Object value = claim(claims.getClaims(), settings.customerClaim());
            customer = Optional.of(value instanceof String s && !s.isBlank() ? s : claims.getSubject());
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw new InvalidTokenException("the token has no subject");
        }
        return new Principal(claims.getSubject(), roles, shops, customer, claims.getExpirationTime().toInstant());
    }

    /** The value at a dotted path: {@code realm_access.roles} is the {@code roles} member of {@code realm_access}. */
    static Object claim(Map<String, Object> claims, String path) {
        Object value = claims.get(path);
        if (value != null || !path.contains(".")) {
            return value;
        }
        Object node = claims;
        for (String part : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            for (String part : s.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        } else if (value instanceof Collection<?> list) {
            list.forEach(v -> {
                if (v instanceof String s) {
                    out.add(s);
                }
            });
        }
        return out;
    }

    static URL url(String text) {
        try {
            return URI.create(text).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + text, e);
        }
    }
}
