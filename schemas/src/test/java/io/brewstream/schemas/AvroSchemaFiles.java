package io.brewstream.schemas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.AvroRuntimeException;

/** Parses a set of .avsc texts that refer to each other, in whatever order they come. */
final class AvroSchemaFiles {
    private AvroSchemaFiles() {
    }

    /** @param texts file path to file content; returns full type name to schema, for every named type */
    static Map<String, Schema> parse(Map<String, String> texts) {
        Map<String, Schema> known = new HashMap<>();
        Map<String, String> pending = new LinkedHashMap<>(texts);
        while (!pending.isEmpty()) {
            List<String> parsedNow = new ArrayList<>();
            Map<String, String> errors = new LinkedHashMap<>();
            for (Map.Entry<String, String> file : pending.entrySet()) {
                Schema.Parser parser = new Schema.Parser();
                parser.addTypes(known.values());
                try {
                    parser.parse(file.getValue());
                    known.putAll(parser.getTypes());
                    parsedNow.add(file.getKey());
                } catch (AvroRuntimeException e) { // undefined names surface as parse or default-value errors
                    errors.put(file.getKey(), e.getMessage());
                }
            }
            if (parsedNow.isEmpty()) {
                throw new IllegalStateException("schemas that cannot be parsed: " + errors);
            }
            parsedNow.forEach(pending::remove);
        }
        return known;
    }
}
