package io.brewstream.schemas.serde;

import io.apicurio.registry.rest.client.exception.RestClientException;

/**
 * Tells a registry that is away (or overloaded) from one that answered no: the first passes, the second does not.
 * Apicurio's client reports a refused connection, a timeout or a dropped response as a {@link RestClientException}
 * with error code 0 ("Unknown client exception"); the registry's own answers carry their HTTP status.
 */
public final class RegistryErrors {
    private RegistryErrors() {
    }

    /** True when the error, or what caused it, is the registry being unreachable, overloaded or failing (5xx, 429). */
    public static boolean isTransient(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof RestClientException rest) {
                Integer code = rest.getError() == null ? null : rest.getError().getErrorCode();
                return code == null || code == 0 || code == 429 || code >= 500;
            }
            // the network only: a truncated Avro record fails with an EOFException, an IOException too, and is
            // poison, not transient
            if (e instanceof java.net.SocketException || e instanceof java.net.SocketTimeoutException
                    || e instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
