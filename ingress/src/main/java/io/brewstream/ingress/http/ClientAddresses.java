package io.brewstream.ingress.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;

import org.eclipse.jetty.util.InetAddressSet;

import io.javalin.http.Context;

/**
 * The address of the client behind a request. Behind a reverse proxy or load balancer every request comes from
 * the proxy, so fraud scoring would see one IP for all customers; when the request comes from a trusted proxy,
 * its {@code X-Forwarded-For} header is read from the right, and the first address not of a trusted proxy is the
 * client. A client that talks to the ingress directly cannot forge its address this way.
 */
public final class ClientAddresses {
    /** Loopback and private networks, as Tomcat's RemoteIpValve trusts by default. */
    public static final String LOOPBACK_AND_PRIVATE_NETWORKS =
            "127.0.0.0/8,::1,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,169.254.0.0/16,fc00::/7,fe80::/10";
    static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3}):\\d{1,5}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.]+)?");
    private static final Pattern BRACKETED_IPV6 = Pattern.compile("\\[([0-9A-Fa-f:.]+)](:\\d{1,5})?");

    private final InetAddressSet trustedProxies = new InetAddressSet();

    private ClientAddresses(List<String> trustedProxies) {
        for (String proxy : trustedProxies) {
            try {
                this.trustedProxies.add(proxy);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an address, a CIDR block or a range of addresses: " + proxy, e);
            }
        }
    }

    /** @param trustedProxies addresses, CIDR blocks ({@code 10.0.0.0/8}) or ranges, comma-separated; empty for none */
    public static ClientAddresses trusting(String trustedProxies) {
        List<String> proxies = new ArrayList<>();
        for (String proxy : trustedProxies.split(",")) {
            if (!proxy.isBlank()) {
                proxies.add(proxy.strip());
            }
        }
        return new ClientAddresses(proxies);
    }

    public String of(Context ctx) {
        return of(ctx.req().getRemoteAddr(), ctx.req().getHeaders(FORWARDED_FOR));
    }

    String of(String remoteAddress, Enumeration<String> forwardedFor) {
        InetAddress client = literal(remoteAddress);
        if (client == null || !trustedProxies.test(client) || forwardedFor == null) {
            return remoteAddress;
        }
        List<String> hops = new ArrayList<>();
        while (forwardedFor.hasMoreElements()) {
            for (String hop : forwardedFor.nextElement().split(",")) {
                hops.add(hop.strip());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                break; // not an address: nothing further left of it can be trusted
            }
            client = hop;
            if (!trustedProxies.test(hop)) {
                break;
            }
        }
        return client.getHostAddress();
    }

    /** An IP address written out, with or without a port; null for anything else (never a name lookup). */
    static InetAddress literal(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        var withPort = IPV4_WITH_PORT.matcher(text);
        var bracketed = BRACKETED_IPV6.matcher(text);
        try {
            if (IPV4.matcher(text).matches()) {
                return ipv4(text);
            } else if (withPort.matches()) {
                return ipv4(withPort.group(1));
            } else if (bracketed.matches() && bracketed.group(1).contains(":")) {
                return InetAddress.getByName(bracketed.group(1));
            } else if (IPV6.matcher(text).matches()) {
                return InetAddress.getByName(text); // with a colon Java parses it as IPv6 or fails, never looks it up
            }
            return null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static InetAddress ipv4(String dotted) throws UnknownHostException {
        String[] parts = dotted.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return InetAddress.getByAddress(bytes);
    }
}
