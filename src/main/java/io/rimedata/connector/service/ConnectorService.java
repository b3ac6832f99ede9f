package io.rimedata.connector.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.rimedata.audit.service.AuditActions;
import io.rimedata.audit.service.AuditChanges;
import io.rimedata.audit.service.AuditEntry;
import io.rimedata.audit.service.AuditLog;
import io.rimedata.connector.Connector;
import io.rimedata.connector.config.ConnectorTypes;
import io.rimedata.connector.config.SecretDestinations;
import io.rimedata.connector.repository.ConnectorRepository;
import io.rimedata.connector.rest.ConnectorApi;
import io.rimedata.connector.rest.ConnectorApi.ConnectorInput;
import io.rimedata.connector.rest.ConnectorApi.ConnectorView;
import io.rimedata.connector.source.SourceSpec;
import io.rimedata.identity.Caller;
import io.rimedata.identity.Limit;
import io.rimedata.identity.ProjectLookup;
import io.rimedata.identity.service.Quotas;
import io.rimedata.platform.crypto.SecretBox;
import io.rimedata.platform.error.BadRequest;
import io.rimedata.platform.error.Conflict;
import io.rimedata.platform.error.ErrorDetail;
import io.rimedata.platform.error.JsonErrors;
import io.rimedata.platform.error.NotFound;
import io.rimedata.platform.error.Violations;
import io.rimedata.platform.egress.Egress;
import io.rimedata.platform.egress.EgressOrigin;
import io.rimedata.connector.config.ConnectorEndpoints;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.rimedata.platform.http.ETags;
import io.rimedata.platform.http.JsonMergePatch;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.JsonText;
import io.rimedata.platform.schedule.CronSchedule;
import io.rimedata.platform.schedule.ScheduleSpec;
import io.rimedata.platform.persistence.UuidV7;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** Connectors (§4): CRUD with per-type configuration, write-only secrets, table selection and schedule. */
@ApplicationScoped
public class ConnectorService {

    private static final String KIND = "Connector";
    private static final TypeReference<Map<String, String>> SECRET_MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<ConnectorApi.TableSelection>> TABLES = new TypeReference<>() {
    };

    private final ConnectorRepository connectors;
    private final ProjectLookup projects;
    private final Quotas quotas;
    private final SecretBox secretBox;
    private final ObjectMapper json;
    private final JsonText text;
    private final Validator validator;
    private final AuditLog audit;
    private final Egress egress;

    ConnectorService(ConnectorRepository connectors, ProjectLookup projects, Quotas quotas, SecretBox secretBox,
            ObjectMapper json, JsonText text, Validator validator, AuditLog audit, Egress egress) {
        this.audit = audit;
        this.egress = egress;
        this.connectors = connectors;
        this.projects = projects;
        this.quotas = quotas;
        this.secretBox = secretBox;
        this.json = json;
        this.text = text;
        this.validator = validator;
    }

    /** A validated connector document, ready to store. */
    private record Valid(ConnectorInput input, ObjectNode config, Map<String, String> secrets,
            List<ConnectorApi.TableSelection> tables) {
    }

    /** Destinations are checked before the transaction opens: a name lookup never holds a database connection. */
    public Uni<ETags.Tagged<ConnectorView>> create(TenantRef tenant, Caller caller, UUID projectId, ConnectorInput input) {
        Valid valid = validate(input, new TreeMap<>());
        return checkEndpoints(EgressOrigin.of(tenant.id(), projectId, "connector", null, input.name()), input.type(), valid)
                .chain(() -> Panache.withTransaction(() -> insert(tenant, caller, projectId, input, valid)));
    }

    private Uni<ETags.Tagged<ConnectorView>> insert(TenantRef tenant, Caller caller, UUID projectId, ConnectorInput input,
            Valid valid) {
        return requireProject(tenant, projectId)
                .chain(() -> quotas.require(tenant, Limit.CONNECTORS_PER_PROJECT, projectId))
                .chain(() -> connectors.nameTaken(tenant, projectId, input.name(), null))
                .chain(taken -> {
                    if (taken) {
                        return Uni.createFrom().failure(duplicate(input.name()));
                    }
                    Connector connector = new Connector();
                    connector.id = UuidV7.next();
                    connector.projectId = projectId;
                    connector.type = input.type();
                    connector.createdBy = caller.userId();
                    apply(tenant, connector, valid);
                    return connectors.persist(tenant, connector)
                            .call(saved -> record(tenant, AuditActions.RESOURCE_CREATED, saved, null, valid.secrets(),
                                    audited(saved, valid.secrets())))
                            .map(saved -> tagged(tenant, saved));
                });
    }

    @WithSession
    public Uni<ETags.Tagged<ConnectorView>> get(TenantRef tenant, UUID projectId, UUID id) {
        return require(tenant, projectId, id).map(c -> tagged(tenant, c));
    }

    @WithSession
    public Uni<Page<ConnectorView>> list(TenantRef tenant, UUID projectId, String type, String status, PageRequest page) {
        return requireProject(tenant, projectId).chain(() -> connectors.page(tenant, projectId, type, status, page))
                .map(rows -> page.toPage(rows, (Connector c) -> c.id).map(c -> view(tenant, c)));
    }

    /**
     * JSON merge patch of the writable document; secrets are replaced by strings and cleared by {@code null}. A patch
     * that moves the connector to another destination must re-supply (or clear) every stored secret (422).
     */
    @WithTransaction
    public Uni<ETags.Tagged<ConnectorView>> update(TenantRef tenant, UUID projectId, UUID id, JsonNode patch,
            String ifMatch) {
        JsonMergePatch.require(patch);
        return require(tenant, projectId, id).chain(connector -> {
            ETags.requireMatch(ifMatch, ETags.of(connector.id, connector.version));
            ObjectNode remainder = ((ObjectNode) patch).deepCopy();
            if (remainder.has("type") && !connector.type.equals(remainder.path("type").asText())) {
                throw BadRequest.field("type", "The type of a connector cannot be changed.");
            }
            Map<String, String> secrets = openSecrets(tenant, connector);
            Map<String, String> secretsBefore = new TreeMap<>(secrets);
            ObjectNode before = audited(connector, secretsBefore);
            Set<String> supplied = new HashSet<>();
            if (remainder.get("config") instanceof ObjectNode config) {
                clearSecrets(connector.type, "config", config, secrets, supplied);
            }
            ConnectorInput merged = toInput(JsonMergePatch.apply(document(connector), remainder));
            Violations.throwIfAny(validator.validate(merged));
            Valid valid = validate(merged, secrets);
            SecretDestinations.requireResupplied(connector.type, (ObjectNode) text.read(connector.config, JsonNode.class),
                    valid.config(), secretsBefore.keySet(), valid.secrets().keySet(), supplied);
            return checkEndpoints(EgressOrigin.of(tenant.id(), projectId, "connector", connector.id, connector.name),
                    connector.type, valid)
                    .chain(() -> connectors.nameTaken(tenant, projectId, merged.name(), connector.id)).chain(taken -> {
                if (taken) {
                    return Uni.createFrom().failure(duplicate(merged.name()));
                }
                apply(tenant, connector, valid);
                Map<String, String> allSecrets = new TreeMap<>(secretsBefore);
                allSecrets.putAll(valid.secrets());
                return connectors.flush()
                        .call(() -> record(tenant, AuditActions.RESOURCE_MODIFIED, connector, before, allSecrets,
                                audited(connector, valid.secrets())))
                        .map(v -> tagged(tenant, connector));
            });
        });
    }

    /** What a source driver needs, secrets opened; read in its own short session. */
    @WithSession
    public Uni<SourceSpec> spec(TenantRef tenant, UUID projectId, UUID id) {
        return require(tenant, projectId, id).map(c -> new SourceSpec(c.tenantId, c.id, c.type, (ObjectNode) text.read(c.config, JsonNode.class),
                openSecrets(tenant, c), text.read(c.tables, TABLES)));
    }

    /** The next fire times of the connector's schedule, in its time zone (else the project's, else Auckland's). */
    @WithSession
    public Uni<ConnectorApi.NextFires> nextFires(TenantRef tenant, UUID projectId, UUID id, int count) {
        return require(tenant, projectId, id).chain(c -> {
            if (c.schedule == null) {
                return Uni.createFrom().failure(new NotFound("Connector with ID '" + id + "' has no schedule."));
            }
            ScheduleSpec schedule = text.read(c.schedule, ScheduleSpec.class);
            return projects.defaultTimezone(tenant, projectId).map(schedule::zone).map(zone -> new ConnectorApi.NextFires(
                    zone.getId(), CronSchedule.parse(schedule.cron(), zone).next(java.time.Instant.now(), count)));
        });
    }

    /** Fails with 404 unless the connector exists in the project; within the caller's session. */
    public Uni<Void> requireExists(TenantRef tenant, UUID projectId, UUID id) {
        return require(tenant, projectId, id).replaceWithVoid();
    }

    /** The types of those of the given connectors that exist in the project; within the caller's session. */
    public Uni<Map<UUID, String>> typesOf(TenantRef tenant, UUID projectId, java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return connectors.listInProject(tenant, projectId, ids)
                .map(found -> found.stream().collect(java.util.stream.Collectors.toMap(c -> c.id, c -> c.type)));
    }

    @WithTransaction
    public Uni<Void> delete(TenantRef tenant, UUID projectId, UUID id, String ifMatch) {
        return require(tenant, projectId, id).chain(connector -> {
            ETags.requireMatch(ifMatch, ETags.of(connector.id, connector.version));
            Map<String, String> secrets = openSecrets(tenant, connector);
            return record(tenant, AuditActions.RESOURCE_DELETED, connector, audited(connector, secrets), secrets, null)
                    .chain(() -> connectors.delete(tenant, connector));
        });
    }

    /** The writable document with secrets in place, for the audit log to compare (it redacts them). */
    private ObjectNode audited(Connector c, Map<String, String> secrets) {
        ObjectNode doc = document(c);
        ObjectNode config = (ObjectNode) doc.get("config");
        secrets.forEach((path, value) -> ConnectorTypes.putAtPath(config, path, TextNode.valueOf(value)));
        return doc;
    }

    private Uni<Void> record(TenantRef tenant, String action, Connector c, ObjectNode before, Map<String, String> secrets,
            ObjectNode after) {
        ObjectNode changes = AuditChanges.between(before, after, secrets.keySet());
        if (changes.isEmpty() && AuditActions.RESOURCE_MODIFIED.equals(action)) {
            return Uni.createFrom().voidItem();
        }
        return audit.record(tenant, AuditEntry.of(AuditEntry.Category.RESOURCE, action)
                .withResource("connector", c.id, c.name).withProject(c.projectId).withChanges(changes));
    }

    private Valid validate(ConnectorInput input, Map<String, String> secrets) {
        List<ErrorDetail> errors = new ArrayList<>();
        ObjectNode config = ConnectorTypes.validate(input.type(), input.config(), secrets, errors);
        List<ConnectorApi.TableSelection> tables = new ArrayList<>();
        List<ConnectorApi.TableSelection> given = input.tables() == null ? List.of() : input.tables();
        for (int i = 0; i < given.size(); i++) {
            ConnectorApi.TableSelection t = given.get(i);
            String mode = t.syncMode() == null ? "full" : t.syncMode();
            if ("incremental".equals(mode) && t.cursorColumn() == null) {
                errors.add(new ErrorDetail("tables[" + i + "].cursor_column", "Required when sync_mode is incremental."));
            }
            tables.add(new ConnectorApi.TableSelection(t.name(), t.excludedColumns() == null ? List.of() : t.excludedColumns(),
                    mode, t.cursorColumn()));
        }
        if (!errors.isEmpty()) {
            throw new BadRequest(BadRequest.DEFAULT_MESSAGE, errors);
        }
        return new Valid(input, config, secrets, tables);
    }

    /**
     * Every destination of the config passes the egress policy (422 naming the field), whichever side connects:
     * types that only external runners reach are checked too.
     */
    private Uni<Void> checkEndpoints(EgressOrigin origin, String type, Valid valid) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (ConnectorEndpoints.Endpoint e : ConnectorEndpoints.of(type, valid.config(), valid.secrets())) {
            chain = chain.chain(() -> e.url() != null ? egress.admitUrl(origin, e.field(), e.url())
                    : e.srv() ? egress.nameOnly(origin, e.field(), e.host())
                    : egress.admitHost(origin, e.field(), e.host(), e.port()));
        }
        return chain;
    }

    private void apply(TenantRef tenant, Connector connector, Valid valid) {
        ConnectorInput input = valid.input();
        connector.name = input.name();
        connector.config = text.write(valid.config());
        connector.secrets = valid.secrets().isEmpty() ? null : secretBox.seal(text.write(valid.secrets()), aad(tenant, connector.id));
        connector.tables = text.write(valid.tables());
        connector.schedule = input.schedule() == null ? null : text.write(input.schedule().withDefaults());
        connector.status = input.status() == null ? "active" : input.status();
    }

    /**
     * Explicit nulls in a patch clear secrets; secret strings stay in the patch so that the type's field rules
     * (length, control characters) check them as on create, and their paths are noted in {@code supplied}.
     */
    private static void clearSecrets(String type, String path, ObjectNode node, Map<String, String> secrets,
            Set<String> supplied) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            String childPath = path + "." + name;
            JsonNode value = node.get(name);
            if (value instanceof ObjectNode child) {
                clearSecrets(type, childPath, child, secrets, supplied);
            } else if (ConnectorTypes.isSecretPath(type, childPath)) {
                if (value.isNull()) {
                    secrets.remove(childPath);
                } else if (value.isTextual()) {
                    supplied.add(childPath);
                } else {
                    throw BadRequest.field(childPath, "Must be a non-empty string, or null to clear it.");
                }
            }
        }
    }

    private ETags.Tagged<ConnectorView> tagged(TenantRef tenant, Connector c) {
        return new ETags.Tagged<>(view(tenant, c), ETags.of(c.id, c.version));
    }

    private ConnectorView view(TenantRef tenant, Connector c) {
        ObjectNode config = (ObjectNode) text.read(c.config, JsonNode.class);
        for (String path : openSecrets(tenant, c).keySet()) {
            ConnectorTypes.putAtPath(config, path, json.createObjectNode().put("set", true));
        }
        ScheduleSpec schedule = c.schedule == null ? null : text.read(c.schedule, ScheduleSpec.class);
        return new ConnectorView(c.id, c.projectId, c.name, c.type, config, text.read(c.tables, TABLES), schedule, c.status,
                null, c.createdBy, c.createdAt, c.updatedAt);
    }

    private ObjectNode document(Connector c) {
        ObjectNode doc = json.createObjectNode();
        doc.put("name", c.name);
        doc.put("type", c.type);
        doc.set("config", text.read(c.config, JsonNode.class));
        doc.set("tables", text.read(c.tables, JsonNode.class));
        if (c.schedule != null) {
            doc.set("schedule", text.read(c.schedule, JsonNode.class));
        }
        doc.put("status", c.status);
        return doc;
    }

    private ConnectorInput toInput(JsonNode merged) {
        try {
            return json.treeToValue(merged, ConnectorInput.class);
        } catch (JsonProcessingException e) {
            throw JsonErrors.toBadRequest(e);
        }
    }

    private Uni<Connector> require(TenantRef tenant, UUID projectId, UUID id) {
        return connectors.findInProject(tenant, projectId, id).map(c -> {
            if (c == null) {
                throw NotFound.of(KIND, id);
            }
            return c;
        });
    }

    private Uni<Void> requireProject(TenantRef tenant, UUID projectId) {
        return projects.exists(tenant, projectId).invoke(exists -> {
            if (!exists) {
                throw NotFound.of("Project", projectId);
            }
        }).replaceWithVoid();
    }

    private Map<String, String> openSecrets(TenantRef tenant, Connector c) {
        return c.secrets == null ? new TreeMap<>() : new TreeMap<>(text.read(secretBox.open(c.secrets, aad(tenant, c.id)), SECRET_MAP));
    }

    private static String aad(TenantRef tenant, UUID connectorId) {
        return "connector-config:" + tenant.id() + ":" + connectorId;
    }

    private static Conflict duplicate(String name) {
        return new Conflict("A connector named '" + name + "' already exists in this project.");
    }



}
