package io.brewstream.platform.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.brewstream.platform.http.HttpRoutes;
import io.brewstream.platform.http.Json;
import io.javalin.config.RoutesConfig;

/**
 * The embedded default's own OpenID issuer, for development and demos: one RS256 signing key kept in the data
 * directory (never in the repository), its discovery document and key set served, and tokens minted for any role
 * ({@code brewstream token}). Its file also records the issuer URL the running stack answers to, so a token
 * minted from the command line carries the right {@code iss}. Production points {@code BREWSTREAM_OIDC_ISSUER} at a
 * real provider instead.
 */
public final class DevelopmentIssuer implements HttpRoutes {
    public static final String JWKS_PATH = "/.well-known/jwks.json";
    static final String FILE_NAME = "development-issuer.json";

    private final RSAKey key;
    private final String issuer;
    private final IdentitySettings settings;
    private final Clock clock;

    private DevelopmentIssuer(RSAKey key, String issuer, IdentitySettings settings, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.settings = settings.withIssuer(issuer);
        this.clock = clock;
    }

    /**
     * The issuer whose key lives in {@code directory} (made on first use), answering as {@code issuer}; the file
     * is rewritten with that issuer so {@link #load(Path)} mints for the running stack.
     */
    public static DevelopmentIssuer open(Path directory, String issuer, IdentitySettings settings) {
        Path file = directory.resolve(FILE_NAME);
        RSAKey key = Files.exists(file) ? read(file).key : newKey();
        write(file, issuer, key);
        return new DevelopmentIssuer(key, issuer, settings, Clock.systemUTC());
    }

    /** An issuer with a fresh key that lives only in memory (tests). */
    public static DevelopmentIssuer inMemory(String issuer, IdentitySettings settings) {
        return new DevelopmentIssuer(newKey(), issuer, settings, Clock.systemUTC());
    }

    /** The issuer a running (or last run) standalone stack wrote into its data directory. */
    public static DevelopmentIssuer load(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no development issuer in " + directory.toAbsolutePath()
                    + ": start the standalone stack once with this data directory");
        }
        Stored stored = read(file);
        return new DevelopmentIssuer(stored.key, stored.issuer, IdentitySettings.defaults(stored.issuer),
                Clock.systemUTC());
    }

    public String issuer() {
        return issuer;
    }

    public IdentitySettings settings() {
        return settings;
    }

    /** A verifier that checks against this issuer's key directly, with no HTTP round trip to itself. */
    public TokenVerifier verifier() {
        return new TokenVerifier(settings, new ImmutableJWKSet<SecurityContext>(new JWKSet(key.toPublicJWK())));
    }

    /**
     * A signed access token.
     *
     * @param roles    the roles it grants
     * @param shops    shops it acts for ({@link Principal#ALL_SHOPS} for all)
     * @param customer the customer it speaks for (customer role)
     */
    public String mint(String subject, Set<Role> roles, Set<String> shops, Optional<String> customer, Duration ttl) {
        Instant now = clock.instant();
        List<String> roleValues = new ArrayList<>();
        roles.forEach(role -> roleValues.add(settings.claimValue(role)));
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(settings.audience())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .claim(settings.rolesClaim(), roleValues);
        if (!shops.isEmpty()) {
            claims.claim(settings.shopsClaim(), List.copyOf(shops));
        }
        customer.ifPresent(c -> claims.claim(settings.customerClaim(), c));
        return sign(claims.build());
    }

    /** Signs arbitrary claims with this issuer's key (tests make expired or foreign tokens with it). */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                    .keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(Discovery.PATH, ctx -> ctx.json(discovery()), Access.PUBLIC);
        routes.get(JWKS_PATH, ctx -> ctx.contentType("application/jwk-set+json")
                .result(new JWKSet(key.toPublicJWK()).toString(true)), Access.PUBLIC);
    }

    private Map<String, Object> discovery() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("jwks_uri", issuer + JWKS_PATH);
        document.put("response_types_supported", List.of("token"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        document.put("claims_supported", List.of("sub", "iss", "aud", "exp", "nbf", "iat", "jti",
                settings.rolesClaim(), settings.shopsClaim(), settings.customerClaim()));
        return document;
    }

    /**
     * RS256, as most providers sign by default: verifying it costs tens of microseconds on JDK 17, where ES256 costs
     * about a millisecond (measured: the JDK's P-256 is pure Java).
     */
    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a signing key", e);
        }
    }

    private record Stored(String issuer, RSAKey key) {
    }

    private static Stored read(Path file) {
        try {
            JsonNode stored = Json.mapper().readTree(Files.readString(file));
            JWK key = JWK.parse(stored.path("key").toString());
            // a key of another type (an earlier build made EC keys) is replaced by a new RSA key
            return new Stored(stored.path("issuer").asText(), key instanceof RSAKey rsa ? rsa : newKey());
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot read the development issuer " + file, e);
        }
    }

    private static void write(Path file, String issuer, RSAKey key) {
        try {
            Files.createDirectories(file.getParent());
            ObjectNode stored = Json.mapper().createObjectNode();
            stored.put("issuer", issuer);
            stored.set("key", Json.mapper().readTree(key.toJSONString()));
            Path temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the file system has no POSIX permissions; the data directory's own protection applies
            }
            Files.writeString(temp, Json.mapper().writeValueAsString(stored), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the development issuer " + file, e);
        }
    }
}
