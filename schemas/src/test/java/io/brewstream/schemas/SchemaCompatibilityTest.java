package io.brewstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Every schema change stays BACKWARD compatible: each version of a type, committed or in the working tree,
 * can read data written with the version committed before it. Reads the versions from git.
 */
class SchemaCompatibilityTest {

    @Test
    void everyVersionReadsThePreviousCommittedOne() throws Exception {
        Path repoRoot = Path.of(git(Path.of("."), "rev-parse", "--show-toplevel").trim());
        String avroDir = repoRoot.relativize(SchemaFilesTest.AVRO_DIR.toAbsolutePath()).toString();

        List<String> commits = new ArrayList<>(lines(git(repoRoot, "log", "--format=%H", "--", avroDir)));
        Collections.reverse(commits); // oldest first

        List<Map<String, Schema>> versions = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (String commit : commits) {
            versions.add(AvroSchemaFiles.parse(filesAt(repoRoot, commit, avroDir)));
            labels.add(commit.substring(0, 10));
        }
        versions.add(AvroSchemaFiles.parse(SchemaFilesTest.currentFiles()));
        labels.add("working tree");

        List<String> incompatible = new ArrayList<>();
        for (int i = 1; i < versions.size(); i++) {
            Map<String, Schema> before = versions.get(i - 1);
            Map<String, Schema> after = versions.get(i);
            for (Map.Entry<String, Schema> type : after.entrySet()) {
                Schema old = before.get(type.getKey());
                if (old == null) {
                    continue;
                }
                var result = SchemaCompatibility.checkReaderWriterCompatibility(type.getValue(), old);
                if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                    incompatible.add(type.getKey() + " in " + labels.get(i) + " cannot read " + labels.get(i - 1)
                            + ": " + result.getResult().getIncompatibilities().stream()
                                    .map(x -> x.getType() + " at " + x.getLocation() + " (" + x.getMessage() + ")")
                                    .toList());
                }
            }
        }
        assertThat(incompatible).isEmpty();
    }

    private static Map<String, String> filesAt(Path repoRoot, String commit, String dir) throws Exception {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String path : lines(git(repoRoot, "ls-tree", "-r", "--name-only", commit, "--", dir))) {
            if (path.endsWith(".avsc")) {
                texts.put(path, git(repoRoot, "show", commit + ":" + path));
            }
        }
        return texts;
    }

    private static List<String> lines(String output) {
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("the schema compatibility check needs the git history: git "
                    + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }
}
