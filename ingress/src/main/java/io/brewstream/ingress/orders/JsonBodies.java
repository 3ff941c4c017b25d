package io.brewstream.ingress.orders;

import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.brewstream.platform.http.Json;
import io.brewstream.platform.http.Problem;
import io.brewstream.platform.http.Problem.FieldError;
import io.brewstream.platform.http.ProblemException;
import io.javalin.http.Context;

/**
 * Reads a JSON request body strictly, turning every failure into a 4xx problem that names the field. Unknown
 * fields are collected, so one answer lists them all together with the validator's findings.
 */
final class JsonBodies {
    private JsonBodies() {
    }

    /** A parsed body and the unknown fields it had. */
    record Parsed<T>(T value, List<FieldError> unknownFields) {
    }

    static <T> Parsed<T> read(Context ctx, Class<T> type) {
        requireJson(ctx.header("Content-Type")); // ctx.contentType() throws on an unknown charset
        // JSON is UTF-8 (RFC 8259 8.1); the bytes are decoded here, never with a charset the client names
        String body = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
        if (body.isBlank()) {
            throw invalid("body", "is required");
        }
        UnknownFields unknown = new UnknownFields();
        try {
            T value = Json.mapper().readerFor(type).withHandler(unknown).readValue(body);
            if (value == null) {
                throw invalid("body", "must be a JSON object, not null");
            }
            return new Parsed<>(value, unknown.errors);
        } catch (MismatchedInputException e) {
            String path = path(e);
            throw invalid(path.isEmpty() ? "body" : path, "has the wrong type or shape");
        } catch (JsonMappingException e) {
            String path = path(e);
            throw invalid(path.isEmpty() ? "body" : path, "is invalid: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw invalid("body", "is not well-formed JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** {@code application/json}, with no charset or UTF-8; anything else is a 415. */
    static void requireJson(String contentType) {
        String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
        boolean json = parts[0].trim().equalsIgnoreCase("application/json");
        for (int i = 1; i < parts.length && json; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].trim().equalsIgnoreCase("charset")) {
                String charset = param.length < 2 ? "" : param[1].trim().replace("\"", "");
                json = charset.equalsIgnoreCase("utf-8") || charset.equalsIgnoreCase("utf8");
            }
        }
        if (!json) {
            throw new ProblemException(Problem.of(415, "Unsupported Media Type",
                    "send the body as application/json in UTF-8, not " + printable(contentType)));
        }
    }

    private static String printable(String text) {
        if (text == null) {
            return "no Content-Type";
        }
        String cut = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.invalidFields(List.of(new FieldError(field, message))));
    }

    /** The JSON path of the failure, e.g. items[0].quantity. */
    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
    }

    private static final class UnknownFields extends DeserializationProblemHandler {
        final List<FieldError> errors = new ArrayList<>();

        @Override
        public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
                JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
            // depending on where the parser stands, the context's path may already end with the field, once or twice
            List<String> segments = new ArrayList<>(List.of(parser.getParsingContext().pathAsPointer().toString().split("/")));
            while (!segments.isEmpty() && segments.get(segments.size() - 1).equals(propertyName)) {
                segments.remove(segments.size() - 1);
            }
            segments.add(propertyName);
            String path = segments.stream().filter(s -> !s.isEmpty())
                    .map(s -> s.matches("\\d+") ? "[" + s + "]" : "." + s)
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
            errors.add(new FieldError(path, "is not a known field"));
            parser.skipChildren();
            return true;
        }
    }
}
