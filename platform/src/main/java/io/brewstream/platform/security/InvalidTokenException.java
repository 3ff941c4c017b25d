package io.brewstream.platform.security;

/** A bearer token that is missing, malformed, expired, not yet valid, for someone else, or signed by no known key. */
public final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidTokenException(String message) {
        super(message);
    }

    public InvalidTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
