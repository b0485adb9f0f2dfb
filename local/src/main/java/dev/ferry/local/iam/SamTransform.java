package dev.ferry.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The template as CloudFormation deploys it: {@code scripts/sam-transform.py} (the AWS SAM
 * translator, which CI also lints) run on it, so each function's role is read with the policy
 * templates and managed policies SAM gives it, not re-derived here. Cached per file and
 * modification time: one translation per JVM however many stacks start.
 */
public final class SamTransform {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, JsonNode> CACHE = new ConcurrentHashMap<>();

    private SamTransform() {}

    /** The transformed template of {@code template} (the script is found beside it, in {@code scripts/}). */
    public static JsonNode of(Path template) {
        Path abs = template.toAbsolutePath().normalize();
        try {
            String key = abs + "@" + Files.getLastModifiedTime(abs).toMillis();
            JsonNode cached = CACHE.get(key);
            if (cached != null) return cached;
            JsonNode t = run(abs);
            CACHE.put(key, t);
            return t;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + abs + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode run(Path template) throws IOException {
        Path script = template.getParent().resolve("scripts/sam-transform.py");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("FERRY_LOCAL_IAM=enforce needs " + script + " beside the template");
        }
        Path out = Files.createTempFile("ferry-transformed", ".json");
        Path err = Files.createTempFile("ferry-transform", ".err");
        try {
            Process p = new ProcessBuilder(List.of("python3", script.toString(), template.toString()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the SAM transform of " + template + " took over 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("the SAM transform of " + template + " failed (FERRY_LOCAL_IAM=enforce needs "
                        + "python3 with aws-sam-translator): " + Files.readString(err, StandardCharsets.UTF_8).strip());
            }
            return JSON.readTree(out.toFile());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while transforming " + template, e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
