package io.brewstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class ClientAddressesTest {
    private final ClientAddresses privateProxies = ClientAddresses.trusting(ClientAddresses.LOOPBACK_AND_PRIVATE_NETWORKS);

    private String client(ClientAddresses addresses, String remote, String... forwardedFor) {
        return addresses.of(remote, Collections.enumeration(List.of(forwardedFor)));
    }

    @Test
    void withoutAForwardedHeaderTheClientIsThePeer() {
        assertThat(privateProxies.of("10.0.0.5", null)).isEqualTo("10.0.0.5");
        assertThat(client(privateProxies, "203.0.113.7")).isEqualTo("203.0.113.7");
    }

    @Test
    void aClientTalkingDirectlyCannotForgeItsAddress() {
        assertThat(client(privateProxies, "203.0.113.7", "198.51.100.1")).isEqualTo("203.0.113.7");
    }

    @Test
    void theClientIsTheFirstUntrustedAddressFromTheRight() {
        assertThat(client(privateProxies, "10.0.0.5", "192.0.2.1, 198.51.100.23, 172.16.4.4")).isEqualTo("198.51.100.23");
        assertThat(client(privateProxies, "10.0.0.5", "192.0.2.1", "198.51.100.23")).as("one header per proxy")
                .isEqualTo("198.51.100.23");
        assertThat(client(privateProxies, "127.0.0.1", "10.9.9.9, 192.168.1.20")).as("all hops trusted: the leftmost")
                .isEqualTo("10.9.9.9");
    }

    @Test
    void portsAndIpv6AreUnderstood() {
        assertThat(client(privateProxies, "10.0.0.5", "198.51.100.23:50123")).isEqualTo("198.51.100.23");
        assertThat(client(privateProxies, "::1", "2001:db8::17")).isEqualTo("2001:db8:0:0:0:0:0:17");
        assertThat(client(privateProxies, "10.0.0.5", "[2001:db8::17]:443")).isEqualTo("2001:db8:0:0:0:0:0:17");
    }

    @Test
    void somethingThatIsNotAnAddressEndsTheWalkAndIsNeverLookedUp() {
        assertThat(client(privateProxies, "10.0.0.5", "evil.example, 198.51.100.23")).isEqualTo("198.51.100.23");
        assertThat(client(privateProxies, "10.0.0.5", "198.51.100.23, unknown")).as("the last trusted hop")
                .isEqualTo("10.0.0.5");
        assertThat(ClientAddresses.literal("999.1.1.1")).isNull();
        assertThat(ClientAddresses.literal("[999.1.1.1]")).isNull();
        assertThat(ClientAddresses.literal("localhost")).isNull();
    }

    @Test
    void noTrustedProxiesMeansThePeerAlways() {
        assertThat(client(ClientAddresses.trusting(""), "127.0.0.1", "198.51.100.23")).isEqualTo("127.0.0.1");
    }

    @Test
    void aTrustedProxyThatIsNotAnAddressIsRefusedAtStart() {
        assertThatThrownBy(() -> ClientAddresses.trusting("10.0.0.0/8,proxy.internal"))
                .hasMessageContaining("proxy.internal");
    }
}
