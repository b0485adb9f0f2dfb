package dev.ferry.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * {@code $FERRY_STATE_DIR/local.json}: where the running local stack is and its admin key, for
 * the CLI. Written with mode 600 once the stack is ready, deleted when it stops (if it is still
 * this stack's).
 */
final class StateFile {
    static final String NAME = "local.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final String apiUrl;

    private StateFile(Path file, String apiUrl) {
        this.file = file;
        this.apiUrl = apiUrl;
    }

    /** Writes {@code content} (which has {@code apiUrl}) to {@code dir}/local.json, readable by the owner only. */
    static StateFile write(Path dir, Map<String, Object> content) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(NAME);
        Path tmp = dir.resolve(NAME + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException raced) {
            // written below anyway
        }
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return new StateFile(file, String.valueOf(content.get("apiUrl")));
    }

    Path path() {
        return file;
    }

    /** Deletes the file unless another stack has written its own since. */
    void delete() {
        try {
            if (!Files.exists(file)) return;
            JsonNode current = JSON.readTree(file.toFile());
            if (current != null && apiUrl.equals(current.path("apiUrl").asText())) Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("ferry local: could not delete " + file + ": " + e.getMessage());
        }
    }
}
