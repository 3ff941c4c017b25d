package io.brewstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** Every schema documents itself and every field, and each file matches its generated class. */
class SchemaFilesTest {
    static final Path AVRO_DIR = Path.of("src", "main", "avro");

    static Map<String, String> currentFiles() throws IOException {
        try (Stream<Path> files = Files.walk(AVRO_DIR)) {
            Map<String, String> texts = new TreeMap<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).collect(Collectors.toList())) {
                texts.put(AVRO_DIR.relativize(file).toString(), Files.readString(file));
            }
            return texts;
        }
    }

    @Test
    void everyTypeAndFieldHasADoc() throws IOException {
        Map<String, Schema> schemas = AvroSchemaFiles.parse(currentFiles());
        List<String> undocumented = new ArrayList<>();
        for (Schema schema : schemas.values()) {
            if (isBlank(schema.getDoc())) {
                undocumented.add(schema.getFullName());
            }
            if (schema.getType() == Schema.Type.RECORD) {
                schema.getFields().stream().filter(f -> isBlank(f.doc()))
                        .forEach(f -> undocumented.add(schema.getFullName() + "." + f.name()));
            }
        }
        assertThat(schemas).hasSizeGreaterThan(40);
        assertThat(undocumented).as("types and fields without a doc").isEmpty();
    }

    @Test
    void generatedClassesMatchTheFiles() throws IOException {
        Map<String, Schema> schemas = AvroSchemaFiles.parse(currentFiles());
        for (Schema schema : schemas.values()) {
            Class<?> generated = SpecificData.get().getClass(schema);
            assertThat(generated).as(schema.getFullName()).isNotNull();
            assertThat(SchemaNormalization.toParsingForm(SpecificData.get().getSchema(generated)))
                    .as(schema.getFullName()).isEqualTo(SchemaNormalization.toParsingForm(schema));
        }
    }

    @Test
    void moneyIsExactEverywhere() throws IOException {
        Map<String, Schema> schemas = AvroSchemaFiles.parse(currentFiles());
        List<String> floatingMoney = new ArrayList<>();
        for (Schema schema : schemas.values()) {
            if (schema.getType() != Schema.Type.RECORD) {
                continue;
            }
            for (Schema.Field field : schema.getFields()) {
                boolean floating = field.schema().getType() == Schema.Type.FLOAT || field.schema().getType() == Schema.Type.DOUBLE;
                String name = field.name().toLowerCase();
                if (floating && (name.contains("price") || name.contains("amount") || name.contains("cost")
                        || name.contains("total") || name.contains("size"))) {
                    floatingMoney.add(schema.getFullName() + "." + field.name());
                }
            }
        }
        assertThat(floatingMoney).isEmpty();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
