package io.rimedata.connector.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rimedata.connector.ConnectorConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.file.CopyOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The file of a {@code csv} or {@code json} connector, kept under the data directory as
 * {@code uploads/<tenant>/<connector>/data} beside a small metadata file. A new upload replaces the old one.
 */
@ApplicationScoped
public class UploadStore {

    /** What was uploaded, as the API shows it. */
    @Schema(name = "UploadedFile")
    public record Uploaded(String fileName, long sizeBytes, Instant uploadedAt) {
    }

    private final Vertx vertx;
    private final ObjectMapper json;
    private final Path root;

    UploadStore(Vertx vertx, ObjectMapper json, ConnectorConfig config) {
        this.vertx = vertx;
        this.json = json;
        this.root = Path.of(config.dataDir(), "uploads");
    }

    public Path dataFile(UUID tenantId, UUID connectorId) {
        return root.resolve(tenantId.toString()).resolve(connectorId.toString()).resolve("data");
    }

    private Path metaFile(UUID tenantId, UUID connectorId) {
        return dataFile(tenantId, connectorId).resolveSibling("meta.json");
    }

    /** Moves a received temporary file into place (asynchronously) and records its metadata. */
    public Uni<Uploaded> save(UUID tenantId, UUID connectorId, Path received, String fileName, long size) {
        Path target = dataFile(tenantId, connectorId);
        Uploaded uploaded = new Uploaded(fileName, size, Instant.now());
        return vertx.fileSystem().mkdirs(target.getParent().toString())
                .chain(() -> vertx.fileSystem().move(received.toString(), target.toString(),
                        new CopyOptions().setReplaceExisting(true)))
                .chain(() -> vertx.fileSystem().writeFile(metaFile(tenantId, connectorId).toString(), Buffer.buffer(write(uploaded))))
                .replaceWith(uploaded);
    }

    /** The metadata of the current file, or null when nothing was uploaded. */
    public Uni<Uploaded> current(UUID tenantId, UUID connectorId) {
        String meta = metaFile(tenantId, connectorId).toString();
        return vertx.fileSystem().exists(meta).chain(exists -> !exists ? Uni.createFrom().nullItem()
                : vertx.fileSystem().readFile(meta).map(buffer -> read(buffer.toString())));
    }

    private String write(Uploaded uploaded) {
        try {
            return json.writeValueAsString(uploaded);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Uploaded read(String text) {
        try {
            return json.readValue(text, Uploaded.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable upload metadata", e);
        }
    }
}
