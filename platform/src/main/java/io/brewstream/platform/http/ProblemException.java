package io.brewstream.platform.http;

import java.util.Map;

/** Thrown by a handler to answer with a problem response, with a Retry-After and other headers where due. */
public class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;
    private final Integer retryAfterSeconds;
    private final transient Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    public ProblemException(Problem problem, Integer retryAfterSeconds) {
        this(problem, retryAfterSeconds, Map.of());
    }

    public ProblemException(Problem problem, Integer retryAfterSeconds, Map<String, String> headers) {
        super(problem.detail());
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
        this.headers = Map.copyOf(headers);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(404, "Not found", detail));
    }

    public static ProblemException unavailable(String detail, int retryAfterSeconds) {
        return new ProblemException(Problem.of(503, "Service unavailable", detail), retryAfterSeconds);
    }

    public static ProblemException tooManyRequests(String detail, int retryAfterSeconds) {
        return new ProblemException(new Problem("urn:brewstream:problem:rate-limited", "Too many requests", 429,
                detail, null, java.util.List.of()), retryAfterSeconds);
    }

    public Problem problem() {
        return problem;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Headers the answer carries besides Retry-After (WWW-Authenticate on a 401). */
    public Map<String, String> headers() {
        return headers;
    }
}
