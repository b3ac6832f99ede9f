package io.rimedata.connector.file;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rimedata.connector.ConnectorConfig;
import io.rimedata.connector.source.ConnectionTest;
import io.rimedata.connector.source.DiscoveredSchema;
import io.rimedata.connector.source.SourceDriver;
import io.rimedata.connector.source.SourceSpec;
import io.rimedata.platform.error.Unprocessable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Uploaded CSV and JSON files: a test reads a sample of records; discovery infers each column's type from it.
 * Files are read on a worker thread (blocking I/O) and streamed, so memory does not grow with the file.
 */
@ApplicationScoped
public class FileDriver implements SourceDriver {

    private final UploadStore uploads;
    private final ObjectMapper json;
    /** Records are read one at a time from a stream of them: what follows one is the next, not trailing garbage. */
    private final com.fasterxml.jackson.databind.ObjectReader recordReader;
    private final Vertx vertx;
    private final int sample;

    FileDriver(UploadStore uploads, ObjectMapper json, Vertx vertx, ConnectorConfig config) {
        this.recordReader = json.reader().without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.uploads = uploads;
        this.json = json;
        this.vertx = vertx;
        this.sample = config.sampleRecords();
    }

    @Override
    public boolean serves(String type) {
        return "csv".equals(type) || "json".equals(type);
    }

    @Override
    public Uni<ConnectionTest> test(SourceSpec spec, Duration timeout) {
        long start = System.nanoTime();
        return uploads.current(spec.tenantId(), spec.connectorId()).chain(uploaded -> {
            if (uploaded == null) {
                String message = "No file has been uploaded yet (POST …/upload).";
                return Uni.createFrom().item(ConnectionTest.of(List.of(ConnectionTest.Check.failed("reachability", message),
                        ConnectionTest.Check.skipped("authentication", message),
                        ConnectionTest.Check.skipped("read_permission", message)), elapsed(start)));
            }
            return profile(spec).ifNoItem().after(timeout).fail().onItemOrFailure().transform((profile, failure) -> {
                List<ConnectionTest.Check> checks = new ArrayList<>();
                checks.add(ConnectionTest.Check.passed("reachability", "File '" + uploaded.fileName() + "' ("
                        + uploaded.sizeBytes() + " bytes) uploaded at " + uploaded.uploadedAt() + "."));
                checks.add(ConnectionTest.Check.passed("authentication", "Uploaded files need no credentials."));
                checks.add(failure == null
                        ? ConnectionTest.Check.passed("read_permission", "Parsed " + profile.records() + " records with "
                                + profile.columns().size() + " columns.")
                        : ConnectionTest.Check.failed("read_permission", "The file does not parse: " + reason(failure)));
                return ConnectionTest.of(checks, elapsed(start));
            });
        });
    }

    @Override
    public Uni<DiscoveredSchema> discover(SourceSpec spec, Duration timeout) {
        return uploads.current(spec.tenantId(), spec.connectorId()).chain(uploaded -> {
            if (uploaded == null) {
                return Uni.createFrom().failure(new Unprocessable("No file has been uploaded yet (POST …/upload)."));
            }
            String table = stem(uploaded.fileName());
            return profile(spec).ifNoItem().after(timeout).fail()
                    .onFailure(t -> !(t instanceof Unprocessable))
                    .transform(t -> new Unprocessable("The file does not parse: " + reason(t)))
                    .map(profile -> new DiscoveredSchema(List.of(new DiscoveredSchema.Table(table, profile.columns()))));
        });
    }

    /** The table name an uploaded file stands for: its file name without extension. */
    public Uni<String> tableName(SourceSpec spec) {
        return uploads.current(spec.tenantId(), spec.connectorId()).map(uploaded -> {
            if (uploaded == null) {
                throw new Unprocessable("No file has been uploaded yet (POST …/upload).");
            }
            return stem(uploaded.fileName());
        });
    }

    /**
     * Copies the whole file to {@code target} as NDJSON (CSV records become objects keyed by the header, null values
     * as null), streaming on a worker thread; answers the number of records.
     */
    public Uni<Long> extract(SourceSpec spec, Path target) {
        Path file = uploads.dataFile(spec.tenantId(), spec.connectorId());
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                Files.createDirectories(target.getParent());
                try (var out = Files.newBufferedWriter(target)) {
                    return "csv".equals(spec.type()) ? copyCsv(file, spec, out) : copyJson(file, spec, out);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }

    private long copyCsv(Path file, SourceSpec spec, java.io.Writer out) throws IOException {
        Set<String> nulls = new HashSet<>(List.of(""));
        spec.config().path("null_values").forEach(v -> nulls.add(v.asText()));
        try (BufferedReader reader = Files.newBufferedReader(file, Charset.forName(spec.text("encoding")))) {
            CsvReader csv = new CsvReader(reader, spec.text("delimiter").charAt(0), spec.text("quote").charAt(0));
            for (int i = 0; i < spec.config().path("skip_rows").asInt(0) && csv.next() != null; i++) {
                // skipped preamble rows
            }
            List<String> names = spec.config().path("header_row").asBoolean(true) ? csv.next() : null;
            long records = 0;
            for (List<String> record = csv.next(); record != null; record = csv.next()) {
                var row = json.createObjectNode();
                for (int i = 0; i < record.size(); i++) {
                    String name = names != null && i < names.size() && !names.get(i).isBlank() ? names.get(i).trim() : "column_" + (i + 1);
                    if (nulls.contains(record.get(i))) {
                        row.putNull(name);
                    } else {
                        row.put(name, record.get(i));
                    }
                }
                out.write(json.writeValueAsString(row));
                out.write('\n');
                records++;
            }
            return records;
        }
    }

    private long copyJson(Path file, SourceSpec spec, java.io.Writer out) throws IOException {
        String recordsPath = spec.text("records_path");
        long records = 0;
        try (InputStream in = Files.newInputStream(file); JsonParser parser = json.getFactory().createParser(
                new InputStreamReader(in, Charset.forName(spec.text("encoding"))))) {
            JsonToken first = parser.nextToken();
            if (recordsPath != null) {
                first = descend(parser, first, recordsPath.split("\\."));
            }
            boolean array = first == JsonToken.START_ARRAY;
            JsonToken token = array ? parser.nextToken() : first;
            while (token != null && token != JsonToken.END_ARRAY) {
                JsonNode record = recordReader.readTree(parser);
                out.write(json.writeValueAsString(record));
                out.write('\n');
                records++;
                token = parser.nextToken();
            }
        }
        return records;
    }

    /** Column names, inferred types and the number of records read. */
    record Profile(List<DiscoveredSchema.Column> columns, long records) {
    }

    private Uni<Profile> profile(SourceSpec spec) {
        Path file = uploads.dataFile(spec.tenantId(), spec.connectorId());
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return "csv".equals(spec.type()) ? profileCsv(file, spec) : profileJson(file, spec);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
    }

    private Profile profileCsv(Path file, SourceSpec spec) throws IOException {
        char delimiter = spec.text("delimiter").charAt(0);
        char quote = spec.text("quote").charAt(0);
        boolean header = spec.config().path("header_row").asBoolean(true);
        int skip = spec.config().path("skip_rows").asInt(0);
        Set<String> nulls = new HashSet<>(List.of(""));
        spec.config().path("null_values").forEach(v -> nulls.add(v.asText()));
        try (BufferedReader reader = Files.newBufferedReader(file, Charset.forName(spec.text("encoding")))) {
            CsvReader csv = new CsvReader(reader, delimiter, quote);
            for (int i = 0; i < skip && csv.next() != null; i++) {
                // skipped preamble rows
            }
            List<String> names = header ? csv.next() : null;
            List<TypeInference.Column> columns = new ArrayList<>();
            long records = 0;
            for (List<String> record = csv.next(); record != null && records < sample; record = csv.next()) {
                records++;
                while (columns.size() < record.size()) {
                    columns.add(new TypeInference.Column());
                }
                for (int i = 0; i < record.size(); i++) {
                    if (!nulls.contains(record.get(i))) {
                        columns.get(i).accept(record.get(i));
                    }
                }
            }
            int width = Math.max(columns.size(), names == null ? 0 : names.size());
            List<DiscoveredSchema.Column> result = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                String name = names != null && i < names.size() && !names.get(i).isBlank() ? names.get(i).trim() : "column_" + (i + 1);
                String type = i < columns.size() ? columns.get(i).type() : TypeInference.VARCHAR;
                result.add(new DiscoveredSchema.Column(name, type, true));
            }
            return new Profile(result, records);
        }
    }

    private Profile profileJson(Path file, SourceSpec spec) throws IOException {
        String recordsPath = spec.text("records_path");
        RecordProfiler profiler = new RecordProfiler();
        try (InputStream in = Files.newInputStream(file); JsonParser parser = json.getFactory().createParser(
                new InputStreamReader(in, Charset.forName(spec.text("encoding"))))) {
            JsonToken first = parser.nextToken();
            if (recordsPath != null) {
                first = descend(parser, first, recordsPath.split("\\."));
            }
            boolean array = first == JsonToken.START_ARRAY;
            JsonToken token = array ? parser.nextToken() : first;
            while (token != null && token != JsonToken.END_ARRAY && profiler.records() < sample) {
                profiler.accept(recordReader.readTree(parser));
                token = parser.nextToken();
            }
        }
        return new Profile(profiler.columns(), profiler.records());
    }

    /** Walks object fields down {@code path} to the records array. */
    private static JsonToken descend(JsonParser parser, JsonToken token, String[] path) throws IOException {
        for (String segment : path) {
            if (token != JsonToken.START_OBJECT) {
                throw new IOException("records_path '" + String.join(".", path) + "' does not lead to an array");
            }
            boolean found = false;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                token = parser.nextToken();
                if (name.equals(segment)) {
                    found = true;
                    break;
                }
                parser.skipChildren();
            }
            if (!found) {
                throw new IOException("records_path '" + String.join(".", path) + "' was not found");
            }
        }
        return token;
    }

    private static String stem(String fileName) {
        String base = fileName == null || fileName.isBlank() ? "data" : fileName;
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    private static String reason(Throwable t) {
        Throwable cause = t instanceof java.io.UncheckedIOException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof io.smallrye.mutiny.TimeoutException) {
            return "reading it took too long.";
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
