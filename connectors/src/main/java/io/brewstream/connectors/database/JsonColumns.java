package io.brewstream.connectors.database;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * JSONB columns that hold lists and maps of domain records (a recipe's ingredients, a delivery's items) are
 * read and written in Avro's JSON encoding of the same types, so the database and the topics agree on one shape.
 */
public final class JsonColumns {
    private JsonColumns() {
    }

    public static <T extends SpecificRecord> List<T> readList(Schema itemSchema, String json) {
        return read(Schema.createArray(itemSchema), json);
    }

    public static <V> Map<String, V> readMap(Schema.Type valueType, String json) {
        return read(stringKeyed(valueType), json);
    }

    public static <T extends SpecificRecord> String writeList(Schema itemSchema, List<T> items) {
        return write(Schema.createArray(itemSchema), items);
    }

    public static <V> String writeMap(Schema.Type valueType, Map<String, V> map) {
        return write(stringKeyed(valueType), map);
    }

    private static Schema stringKeyed(Schema.Type valueType) {
        Schema schema = Schema.createMap(Schema.create(valueType));
        GenericData.setStringType(schema, GenericData.StringType.String);
        return schema;
    }

    private static <T> T read(Schema schema, String json) {
        try {
            return new SpecificDatumReader<T>(schema).read(null, DecoderFactory.get().jsonDecoder(schema, json));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a JSON " + schema.getType().getName() + " of "
                    + describe(schema) + ": " + json + " (" + e.getMessage() + ")", e);
        }
    }

    private static String write(Schema schema, Object value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Encoder encoder = EncoderFactory.get().jsonEncoder(schema, out);
            new SpecificDatumWriter<Object>(schema).write(value, encoder);
            encoder.flush();
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Schema schema) {
        Schema element = schema.getType() == Schema.Type.ARRAY ? schema.getElementType() : schema.getValueType();
        return element.getName();
    }
}
