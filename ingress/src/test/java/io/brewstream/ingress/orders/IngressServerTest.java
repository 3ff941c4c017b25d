package io.brewstream.ingress.orders;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.brewstream.embedded.junit.EmbeddedInfrastructure;
import io.brewstream.embedded.junit.EmbeddedInfrastructureExtension;

/** A test class of the ingress routes: one {@link IngressTestServer} on the test JVM's broker and registry. */
@ExtendWith(EmbeddedInfrastructureExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class IngressServerTest {
    protected final EmbeddedInfrastructure infra;
    protected IngressTestServer server;

    protected IngressServerTest(EmbeddedInfrastructure infra) {
        this.infra = infra;
    }

    @BeforeAll
    void startServer() {
        server = new IngressTestServer(infra);
    }

    @AfterAll
    void stopServer() {
        server.close();
    }
}
