package io.brewstream.app;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import io.brewstream.platform.config.Env;
import io.brewstream.platform.security.DevelopmentIssuer;
import io.brewstream.platform.security.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints an access token from the standalone stack's development issuer. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Prints a bearer token signed by the development issuer of the standalone stack whose data",
                "directory is given (its key and issuer URL are kept there). For development and demos; production",
                "takes tokens from a real OpenID provider (BREWSTREAM_OIDC_ISSUER).",
                "Example: curl -H \"Authorization: Bearer $(java -jar brewstream.jar token --role customer --customer cust-42)\" ..."})
final class TokenCommand implements Callable<Integer> {
    @Option(names = "--role", required = true, split = ",",
            description = "Role(s): customer, staff, manager, analyst, bot-gateway, chain-watcher, payment-provider, market-data.")
    List<String> roles;

    @Option(names = "--shop", description = "A shop the token acts for (repeatable; * for every shop).")
    List<String> shops;

    @Option(names = "--customer", description = "The customer a customer token speaks for (default: the subject).")
    String customer;

    @Option(names = "--subject", description = "The token's subject (default: the customer, or the role's name).")
    String subject;

    @Option(names = "--ttl", defaultValue = "8h", description = "How long it is valid: 30m, 8h, PT8H (default: ${DEFAULT-VALUE}).")
    String ttl;

    @Option(names = "--data-dir", description = "The standalone stack's data directory (default: $BREWSTREAM_DATA_DIR or ./data).")
    Path dataDir;

    @Override
    public Integer call() {
        Set<Role> granted = EnumSet.noneOf(Role.class);
        for (String name : roles) {
            granted.add(role(name.trim()));
        }
        Set<String> shopIds = shops == null ? Set.of() : new LinkedHashSet<>(shops);
        if (granted.stream().anyMatch(r -> r.actsForShops()) && shopIds.isEmpty()) {
            throw new IllegalArgumentException("staff and managers act for shops: give --shop ID (or --shop '*')");
        }
        Optional<String> customerId = granted.contains(Role.CUSTOMER)
                ? Optional.of(customer != null ? customer : subject != null ? subject : "cust-42") : Optional.empty();
        String sub = subject != null ? subject : customerId.orElse(granted.iterator().next().defaultClaimValue());
        Path directory = (dataDir != null ? dataDir : Env.system().path("BREWSTREAM_DATA_DIR", Path.of("data")))
                .resolve("identity");
        DevelopmentIssuer issuer = DevelopmentIssuer.load(directory);
        System.out.println(issuer.mint(sub, granted, shopIds, customerId, Env.parseDuration(ttl)));
        return 0;
    }

    private static Role role(String name) {
        for (Role role : Role.values()) {
            if (role.defaultClaimValue().equalsIgnoreCase(name) || role.name().equalsIgnoreCase(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "'; one of " + List.of(Role.values()).stream()
                .map(Role::defaultClaimValue).toList());
    }
}
