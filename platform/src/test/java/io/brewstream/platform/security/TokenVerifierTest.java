package io.brewstream.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * The verifier against a provider served over HTTP on a loopback port: its discovery document and a key set that
 * the test rotates, counting how often the keys are fetched.
 */
class TokenVerifierTest {
    private HttpServer server;
    private String issuer;
    private final AtomicReference<JWKSet> published = new AtomicReference<>();
    private final AtomicInteger keyFetches = new AtomicInteger();
    private RSAKey current;

    @BeforeEach
    void startProvider() throws Exception {
        current = newKey("key-1");
        published.set(new JWKSet(current.toPublicJWK()));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
        server.createContext("/realms/test/.well-known/openid-configuration", exchange -> respond(exchange,
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/certs\"}"));
        server.createContext("/realms/test/certs", exchange -> {
            keyFetches.incrementAndGet();
            respond(exchange, published.get().toString(true));
        });
        server.start();
    }

    @AfterEach
    void stopProvider() {
        server.stop(0);
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private TokenVerifier verifier(IdentitySettings settings) {
        return TokenVerifier.forProvider(settings);
    }

    private IdentitySettings settings() {
        return IdentitySettings.defaults(issuer);
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject("user-1").audience("brewstream")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("roles", List.of("staff")).claim("shops", List.of("berlin-mitte"));
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey newKey(String kid) throws Exception {
        return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
    }

    @Test
    void aValidTokenGivesItsPrincipalFoundThroughDiscovery() throws Exception {
        Principal principal = verifier(settings()).verify(sign(current, claims().build()));

        assertThat(principal.subject()).isEqualTo("user-1");
        assertThat(principal.roles()).containsExactly(Role.STAFF);
        assertThat(principal.shops()).containsExactly("berlin-mitte");
        assertThat(principal.customerId()).isEmpty();
        assertThat(principal.actsForShop("berlin-mitte", Role.STAFF)).isTrue();
        assertThat(principal.actsForShop("berlin-kreuzberg", Role.STAFF)).isFalse();
    }

    @Test
    void expiredNotYetValidForeignIssuerAndOtherAudienceAreRefused() throws Exception {
        TokenVerifier verifier = verifier(settings());
        Instant now = Instant.now();
        String expired = sign(current, claims().expirationTime(Date.from(now.minusSeconds(120))).build());
        String notYet = sign(current, claims().notBeforeTime(Date.from(now.plusSeconds(120))).build());
        String foreign = sign(current, claims().issuer("http://evil.example").build());
        String otherAudience = sign(current, claims().audience("another-app").build());
        String noExpiry = sign(current, claims().expirationTime(null).build());

        for (String token : List.of(expired, notYet, foreign, otherAudience, noExpiry)) {
            assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
        }
    }

    @Test
    void clockSkewIsAllowedUpToTheSetting() throws Exception {
        TokenVerifier verifier = verifier(settings());
        String justExpired = sign(current, claims().expirationTime(Date.from(Instant.now().minusSeconds(20))).build());

        assertThat(verifier.verify(justExpired).subject()).isEqualTo("user-1");
    }

    @Test
    void tamperedUnsignedAndSymmetricallySignedTokensAreRefused() throws Exception {
        TokenVerifier verifier = verifier(settings());
        String good = sign(current, claims().build());
        String[] parts = good.split("\\.");
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims().subject("admin").build().toString().getBytes(StandardCharsets.UTF_8));
        String tampered = parts[0] + "." + otherPayload + "." + parts[2];
        String unsigned = new PlainJWT(claims().build()).serialize();
        // the alg-confusion attack: HS256 keyed with something public
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("key-1").build(), claims().build());
        hmac.sign(new MACSigner(new byte[32]));

        for (String token : List.of(tampered, unsigned, hmac.serialize(), "not.a.token", "")) {
            assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
        }
    }

    @Test
    void aVerifiedTokenIsRememberedForAMinuteAndOnlyThatVeryToken() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(Instant.now());
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        TokenVerifier verifier = new TokenVerifier(settings(), com.nimbusds.jose.jwk.source.JWKSourceBuilder
                .<com.nimbusds.jose.proc.SecurityContext>create(new java.net.URL(issuer + "/certs")).cache(false)
                .refreshAheadCache(false)
                .rateLimited(false).build(), clock);
        String token = sign(current, claims().build());
        verifier.verify(token);
        verifier.verify(token);
        assertThat(keyFetches).as("the second time from memory").hasValue(1);

        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertThatThrownBy(() -> verifier.verify(tampered)).isInstanceOf(InvalidTokenException.class);

        now.set(now.get().plus(TokenVerifier.TRUSTED_FOR).plusSeconds(1));
        verifier.verify(token);
        assertThat(keyFetches.get()).as("checked again after a minute").isGreaterThan(2);
    }

    @Test
    void aRotatedKeyIsFetchedOnItsFirstToken() throws Exception {
        TokenVerifier verifier = verifier(settings());
        verifier.verify(sign(current, claims().build()));
        assertThat(keyFetches).hasValue(1);

        RSAKey next = newKey("key-2");
        published.set(new JWKSet(List.of(current.toPublicJWK(), next.toPublicJWK())));

        assertThat(verifier.verify(sign(next, claims().build())).subject()).isEqualTo("user-1");
        assertThat(keyFetches).hasValue(2);
    }

    @Test
    void unknownKeyIdsDoNotHammerTheIssuer() throws Exception {
        TokenVerifier verifier = verifier(settings());
        verifier.verify(sign(current, claims().build()));
        RSAKey stranger = newKey("made-up");

        for (int i = 0; i < 50; i++) {
            String token = sign(new RSAKey.Builder(stranger).keyID("made-up-" + i).build(), claims().build());
            assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(InvalidTokenException.class);
        }

        // one refetch for the first unknown id, then none within the refetch interval (30 s by default)
        assertThat(keyFetches.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void rolesAndShopsAreReadFromConfiguredClaimsAndNames() throws Exception {
        IdentitySettings keycloakLike = settings().withClaims("realm_access.roles", "shops", "customer_id",
                Map.of(Role.STAFF, "barista"));
        String token = sign(current, claims().claim("roles", null)
                .claim("realm_access", Map.of("roles", List.of("barista", "offline_access")))
                .claim("shops", "berlin-mitte berlin-kreuzberg").build());

        Principal principal = verifier(keycloakLike).verify(token);

        assertThat(principal.roles()).containsExactly(Role.STAFF);
        assertThat(principal.shops()).containsExactlyInAnyOrder("berlin-mitte", "berlin-kreuzberg");
    }

    @Test
    void aCustomerSpeaksForItsCustomerClaimOrElseItsSubject() throws Exception {
        TokenVerifier verifier = verifier(settings());
        String withClaim = sign(current, claims().claim("roles", List.of("customer")).claim("customer_id", "cust-42").build());
        String withoutClaim = sign(current, claims().claim("roles", List.of("customer")).build());

        assertThat(verifier.verify(withClaim).customerId()).contains("cust-42");
        assertThat(verifier.verify(withoutClaim).customerId()).contains("user-1");
        assertThat(verifier.verify(withClaim).isCustomer("cust-42")).isTrue();
        assertThat(verifier.verify(withClaim).isCustomer("cust-43")).isFalse();
    }

    @Test
    void theDevelopmentIssuerMintsTokensItsVerifierAccepts() throws Exception {
        DevelopmentIssuer dev = DevelopmentIssuer.inMemory("http://127.0.0.1:1", IdentitySettings.defaults("x"));
        String token = dev.mint("anna", Set.of(Role.MANAGER), Set.of("*"), Optional.empty(), Duration.ofMinutes(5));

        Principal principal = dev.verifier().verify(token);

        assertThat(principal.roles()).containsExactly(Role.MANAGER);
        assertThat(principal.actsForShop("any-shop", Role.STAFF, Role.MANAGER)).isTrue();
        DevelopmentIssuer other = DevelopmentIssuer.inMemory("http://127.0.0.1:1", IdentitySettings.defaults("x"));
        assertThatThrownBy(() -> other.verifier().verify(token)).isInstanceOf(InvalidTokenException.class);
    }
}
