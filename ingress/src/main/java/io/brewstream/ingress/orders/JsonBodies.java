package io.brewstream.ingress.orders;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.brewstream.platform.http.Json;
import io.brewstream.platform.http.Problem;
import io.brewstream.platform.http.Problem.FieldError;
import io.brewstream.platform.http.ProblemException;
import io.javalin.http.Context;

/** Reads a JSON request body strictly, turning every parse failure into a 4xx problem that names the field. */
final class JsonBodies {
    private JsonBodies() {
    }

    static <T> T read(Context ctx, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            throw new ProblemException(Problem.of(415, "Unsupported media type",
                    "send the body as application/json, not " + contentType));
        }
        String body = ctx.body();
        if (body.isBlank()) {
            throw invalid("body", "is required");
        }
        try {
            T value = Json.mapper().readValue(body, type);
            if (value == null) {
                throw invalid("body", "must be a JSON object, not null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw invalid(path(e), "is not a known field");
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

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.invalidFields(List.of(new FieldError(field, message))));
    }

    /** The JSON path of the failure, e.g. items[0].quantity. */
    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
    }
}
