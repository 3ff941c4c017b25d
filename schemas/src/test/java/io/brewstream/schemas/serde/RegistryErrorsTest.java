package io.brewstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.rest.v2.beans.Error;

class RegistryErrorsTest {
    private static RestClientException answered(int status) {
        Error error = new Error();
        error.setErrorCode(status);
        error.setMessage("status " + status);
        return new RestClientException(error);
    }

    @Test
    void aRegistryThatIsAwayOrFailingIsTransientAnAnswerIsNot() {
        assertThat(RegistryErrors.isTransient(answered(0))).as("Apicurio's 'unknown client exception'").isTrue();
        assertThat(RegistryErrors.isTransient(answered(503))).isTrue();
        assertThat(RegistryErrors.isTransient(answered(429))).isTrue();
        assertThat(RegistryErrors.isTransient(new RuntimeException(new java.net.ConnectException("refused")))).isTrue();
        assertThat(RegistryErrors.isTransient(answered(404))).as("no such schema: asking again will not help").isFalse();
        assertThat(RegistryErrors.isTransient(answered(409))).isFalse();
        assertThat(RegistryErrors.isTransient(new IllegalStateException("a bug"))).isFalse();
        assertThat(RegistryErrors.isTransient(new org.apache.kafka.common.errors.SerializationException("truncated",
                new java.io.EOFException()))).as("a truncated record is poison, not an outage").isFalse();
    }

    @Test
    void aLookupIsRetriedWhileTheRegistryIsAwayAndNotWhenItAnswersNo() {
        AtomicInteger calls = new AtomicInteger();
        String found = ClassCachingSchemaResolver.patiently(() -> {
            if (calls.incrementAndGet() < 3) {
                throw answered(0);
            }
            return "schema";
        }, Duration.ofSeconds(30));
        assertThat(found).isEqualTo("schema");
        assertThat(calls).hasValue(3);

        calls.set(0);
        assertThatThrownBy(() -> ClassCachingSchemaResolver.patiently(() -> {
            calls.incrementAndGet();
            throw answered(404);
        }, Duration.ofSeconds(30))).isInstanceOf(RestClientException.class);
        assertThat(calls).as("asked once").hasValue(1);
    }

    @Test
    void aLookupGivesUpOnceItsPatienceRunsOut() {
        assertThatThrownBy(() -> ClassCachingSchemaResolver.patiently(() -> {
            throw answered(0);
        }, Duration.ofMillis(300))).isInstanceOf(RestClientException.class);
    }
}
