package io.brewstream.platform.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Jetty's own error answers as RFC 9457 problems too: requests Jetty refuses before any route sees them (a path
 * with bad percent-encoding or a NUL, header fields too large, a malformed request line) get
 * {@code application/problem+json}, like everything else, instead of Jetty's HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {
    /** Jetty writes error bodies for GET, POST and HEAD only by default; a PUT or DELETE deserves one too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int code, String message) {
        String title = HttpStatus.getMessage(code);
        String detail = message == null || message.isBlank() ? title : message;
        try {
            return Json.mapper().writeValueAsString(Problem.of(code, title, detail)).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            return ("{\"status\":" + code + "}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
