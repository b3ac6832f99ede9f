package io.rimedata.pipeline.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.rimedata.audit.service.AuditActions;
import io.rimedata.audit.service.AuditChanges;
import io.rimedata.audit.service.AuditEntry;
import io.rimedata.audit.service.AuditLog;
import io.rimedata.connector.service.ConnectorService;
import io.rimedata.identity.Caller;
import io.rimedata.identity.Limit;
import io.rimedata.identity.ProjectLookup;
import io.rimedata.identity.service.Quotas;
import io.rimedata.pipeline.Pipeline;
import io.rimedata.pipeline.PipelineRuns;
import io.rimedata.pipeline.PipelineVersion;
import io.rimedata.pipeline.repository.PipelineRepository;
import io.rimedata.pipeline.repository.PipelineVersionRepository;
import io.rimedata.pipeline.rest.PipelineApi;
import io.rimedata.pipeline.rest.PipelineApi.PipelineInput;
import io.rimedata.pipeline.rest.PipelineApi.PipelineView;
import io.rimedata.pipeline.rest.PipelineApi.Step;
import io.rimedata.platform.error.Conflict;
import io.rimedata.platform.error.ErrorDetail;
import io.rimedata.platform.error.JsonErrors;
import io.rimedata.platform.error.NotFound;
import io.rimedata.platform.error.Unprocessable;
import io.rimedata.platform.error.Violations;
import io.rimedata.platform.http.ETags;
import io.rimedata.platform.http.JsonMergePatch;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.JsonText;
import io.rimedata.platform.persistence.UuidV7;
import io.rimedata.platform.schedule.CronSchedule;
import io.rimedata.platform.schedule.ScheduleSpec;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.platform.egress.Egress;
import io.rimedata.platform.egress.EgressOrigin;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Pipelines (§7.1): definitions, validation and versions. A change to the steps (anything in them: config, edges,
 * failure policy) writes version N+1 and makes it current; name, description and schedule changes do not.
 */
@ApplicationScoped
public class PipelineService {

    private static final String KIND = "Pipeline";

    private final PipelineRepository pipelines;
    private final PipelineVersionRepository versions;
    private final StepDefinitions definitions;
    private final ConnectorService connectors;
    private final PipelineRuns runs;
    private final ProjectLookup projects;
    private final Quotas quotas;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final JsonText text;
    private final Validator validator;
    private final Egress egress;

    PipelineService(PipelineRepository pipelines, PipelineVersionRepository versions, StepDefinitions definitions,
            ConnectorService connectors, PipelineRuns runs, ProjectLookup projects, Quotas quotas, AuditLog audit,
            ObjectMapper json, JsonText text, Validator validator, Egress egress) {
        this.pipelines = pipelines;
        this.versions = versions;
        this.definitions = definitions;
        this.connectors = connectors;
        this.runs = runs;
        this.projects = projects;
        this.quotas = quotas;
        this.audit = audit;
        this.json = json;
        this.text = text;
        this.validator = validator;
        this.egress = egress;
    }

    /** A pipeline with the steps of its current version, secrets opened. */
    public record Current(Pipeline pipeline, StepDefinitions.Defined steps) {
    }

    @WithTransaction
    public Uni<ETags.Tagged<PipelineView>> create(TenantRef tenant, Caller caller, UUID projectId, PipelineInput input) {
        // the project first: another tenant's project is a 404 whatever the body says
        return requireProject(tenant, projectId)
                .map(v -> definitions.define(input.steps()))
                .call(defined -> checkReferences(tenant, projectId, defined.steps()))
                .call(defined -> checkWebhooks(EgressOrigin.of(tenant.id(), projectId, "pipeline", null, input.name()),
                        defined.steps()))
                .call(() -> quotas.require(tenant, Limit.PIPELINES_PER_PROJECT, projectId))
                .chain(defined -> pipelines.nameTaken(tenant, projectId, input.name(), null).chain(taken -> {
                    if (taken) {
                        return Uni.createFrom().failure(duplicate(input.name()));
                    }
                    Pipeline pipeline = new Pipeline();
                    pipeline.id = UuidV7.next();
                    pipeline.projectId = projectId;
                    pipeline.createdBy = caller.userId();
                    pipeline.currentVersion = 1;
                    describe(pipeline, input);
                    return pipelines.persist(tenant, pipeline)
                            .call(saved -> writeVersion(tenant, saved, 1, defined, caller.userId()))
                            .call(saved -> record(tenant, AuditActions.RESOURCE_CREATED, saved, null,
                                    audited(saved, defined)))
                            .map(saved -> tagged(new Current(saved, defined)));
                }));
    }

    @WithSession
    public Uni<ETags.Tagged<PipelineView>> get(TenantRef tenant, UUID projectId, UUID id) {
        return current(tenant, projectId, id).map(this::tagged);
    }

    @WithSession
    public Uni<Page<PipelineView>> list(TenantRef tenant, UUID projectId, PageRequest page) {
        return requireProject(tenant, projectId).chain(() -> pipelines.page(tenant, projectId, page))
                .chain(rows -> {
                    Page<Pipeline> found = page.toPage(rows, (Pipeline p) -> p.id);
                    return versions.currentOf(tenant, found.data().stream().map(p -> p.id).toList()).map(current -> {
                        Map<UUID, String> steps = current.stream().collect(Collectors.toMap(v -> v.pipelineId, v -> v.steps));
                        return new Page<>(found.data().stream()
                                .map(p -> view(new Current(p, definitions.open(tenant, p.id, steps.get(p.id))))).toList(),
                                found.nextCursor(), found.hasMore());
                    });
                });
    }

    /** JSON merge patch of name, description, steps and schedule; {@code steps} is replaced as a whole. */
    @WithTransaction
    public Uni<ETags.Tagged<PipelineView>> update(TenantRef tenant, Caller caller, UUID projectId, UUID id, JsonNode patch,
            String ifMatch) {
        JsonMergePatch.require(patch);
        return current(tenant, projectId, id).chain(current -> {
            Pipeline pipeline = current.pipeline();
            ETags.requireMatch(ifMatch, ETags.of(pipeline.id, pipeline.version));
            ObjectNode before = audited(pipeline, current.steps());
            PipelineInput merged = toInput(JsonMergePatch.apply(document(current), patch));
            Violations.throwIfAny(validator.validate(merged));
            StepDefinitions.Defined defined = definitions.define(merged.steps(), current.steps());
            boolean structural = !definitions.sameStructure(current.steps(), defined);
            return checkReferences(tenant, projectId, defined.steps())
                    .chain(() -> checkWebhooks(EgressOrigin.of(tenant.id(), projectId, "pipeline", pipeline.id,
                            pipeline.name), defined.steps()))
                    .chain(() -> pipelines.nameTaken(tenant, projectId, merged.name(), pipeline.id))
                    .chain(taken -> {
                        if (taken) {
                            return Uni.createFrom().failure(duplicate(merged.name()));
                        }
                        describe(pipeline, merged);
                        Uni<Void> version = Uni.createFrom().voidItem();
                        if (structural) {
                            pipeline.currentVersion++;
                            version = writeVersion(tenant, pipeline, pipeline.currentVersion, defined, caller.userId());
                        }
                        StepDefinitions.Defined now = structural ? defined : current.steps();
                        return version.chain(pipelines::flush)
                                .call(() -> record(tenant, AuditActions.RESOURCE_MODIFIED, pipeline, before, audited(pipeline, now)))
                                .map(v -> tagged(new Current(pipeline, now)));
                    });
        });
    }

    @WithTransaction
    public Uni<Void> delete(TenantRef tenant, UUID projectId, UUID id, String ifMatch, boolean force) {
        return current(tenant, projectId, id).chain(current -> {
            Pipeline pipeline = current.pipeline();
            ETags.requireMatch(ifMatch, ETags.of(pipeline.id, pipeline.version));
            return runs.anyActive(tenant, id).chain(active -> {
                if (active && !force) {
                    return Uni.createFrom().failure(new Conflict(
                            "A run of this pipeline is active; cancel it first or delete with force=true."));
                }
                return (active ? runs.cancelActive(tenant, id) : Uni.createFrom().voidItem())
                        .chain(() -> record(tenant, AuditActions.RESOURCE_DELETED, pipeline, audited(pipeline, current.steps()), null))
                        .chain(() -> pipelines.delete(tenant, pipeline));
            });
        });
    }

    @WithSession
    public Uni<Page<PipelineApi.VersionSummary>> versions(TenantRef tenant, UUID projectId, UUID id, PageRequest page) {
        return require(tenant, projectId, id).chain(pipeline -> versions.page(tenant, id, page).map(rows -> page
                .toPage(rows, (PipelineVersion v) -> v.id)
                .map(v -> new PipelineApi.VersionSummary(v.number, v.number == pipeline.currentVersion,
                        definitions.open(tenant, id, v.steps).steps().size(), v.createdBy, v.createdAt))));
    }

    @WithSession
    public Uni<PipelineApi.VersionView> version(TenantRef tenant, UUID projectId, UUID id, int number) {
        return require(tenant, projectId, id).chain(pipeline -> requireVersion(tenant, pipeline, number)
                .map(v -> versionView(tenant, pipeline, v)));
    }

    /** Writes version N+1 with the steps of version {@code number} and makes it current. */
    @WithTransaction
    public Uni<PipelineApi.VersionView> restore(TenantRef tenant, Caller caller, UUID projectId, UUID id, int number) {
        return require(tenant, projectId, id).chain(pipeline -> requireVersion(tenant, pipeline, number).chain(old -> {
            StepDefinitions.Defined steps = definitions.open(tenant, id, old.steps);
            int before = pipeline.currentVersion;
            pipeline.currentVersion++;
            return checkReferences(tenant, projectId, steps.steps())
                    .chain(() -> checkWebhooks(EgressOrigin.of(tenant.id(), projectId, "pipeline", pipeline.id,
                            pipeline.name), steps.steps()))
                    .chain(() -> writeVersion(tenant, pipeline, pipeline.currentVersion, steps, caller.userId()))
                    .chain(pipelines::flush)
                    .chain(() -> audit.record(tenant, AuditEntry.of(AuditEntry.Category.RESOURCE, AuditActions.RESOURCE_MODIFIED)
                            .withResource("pipeline", pipeline.id, pipeline.name).withProject(projectId)
                            .withChanges(AuditChanges.between(Map.of("current_version", before),
                                    Map.of("current_version", pipeline.currentVersion), Set.of()))))
                    .chain(() -> versions.find(tenant, id, pipeline.currentVersion))
                    .map(v -> versionView(tenant, pipeline, v));
        }));
    }

    @WithSession
    public Uni<PipelineApi.NextFires> nextFires(TenantRef tenant, UUID projectId, UUID id, int count) {
        return require(tenant, projectId, id).chain(p -> {
            if (p.schedule == null) {
                return Uni.createFrom().failure(new NotFound("Pipeline with ID '" + id + "' has no schedule."));
            }
            ScheduleSpec schedule = text.read(p.schedule, ScheduleSpec.class);
            return projects.defaultTimezone(tenant, projectId).map(schedule::zone).map(zone -> new PipelineApi.NextFires(
                    zone.getId(), CronSchedule.parse(schedule.cron(), zone).next(Instant.now(), count)));
        });
    }

    /** The steps of one version, secrets opened, for a run; within the caller's session. */
    public Uni<StepDefinitions.Defined> steps(TenantRef tenant, UUID pipelineId, int number) {
        return versions.find(tenant, pipelineId, number).map(v -> {
            if (v == null) {
                throw new NotFound("Version " + number + " of pipeline '" + pipelineId + "' was not found.");
            }
            return definitions.open(tenant, pipelineId, v.steps);
        });
    }

    /** The pipeline (404 unless in the project); within the caller's session. */
    public Uni<Pipeline> require(TenantRef tenant, UUID projectId, UUID id) {
        return pipelines.findInProject(tenant, projectId, id).map(p -> {
            if (p == null) {
                throw NotFound.of(KIND, id);
            }
            return p;
        });
    }

    private Uni<Current> current(TenantRef tenant, UUID projectId, UUID id) {
        return require(tenant, projectId, id)
                .chain(p -> steps(tenant, p.id, p.currentVersion).map(steps -> new Current(p, steps)));
    }

    private Uni<PipelineVersion> requireVersion(TenantRef tenant, Pipeline pipeline, int number) {
        return versions.find(tenant, pipeline.id, number).map(v -> {
            if (v == null) {
                throw new NotFound("Version " + number + " of pipeline '" + pipeline.id + "' was not found.");
            }
            return v;
        });
    }

    /** Connectors named by extract and validate steps must exist in the project; validate needs PostgreSQL (422). */
    private Uni<Void> checkReferences(TenantRef tenant, UUID projectId, List<Step> steps) {
        Map<String, UUID> extract = new LinkedHashMap<>();
        Map<String, UUID> validate = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if ("extract".equals(step.type())) {
                extract.put("steps[" + i + "].config.connector_id", UUID.fromString(step.config().path("connector_id").asText()));
            } else if ("validate".equals(step.type())) {
                JsonNode checks = step.config().path("checks");
                for (int c = 0; c < checks.size(); c++) {
                    validate.put("steps[" + i + "].config.checks[" + c + "].connector_id",
                            UUID.fromString(checks.get(c).path("connector_id").asText()));
                }
            }
        }
        Set<UUID> ids = new java.util.HashSet<>(extract.values());
        ids.addAll(validate.values());
        return connectors.typesOf(tenant, projectId, ids).map(types -> {
            List<ErrorDetail> problems = new ArrayList<>();
            extract.forEach((field, connector) -> {
                if (!types.containsKey(connector)) {
                    problems.add(new ErrorDetail(field, missing(connector)));
                }
            });
            validate.forEach((field, connector) -> {
                if (!types.containsKey(connector)) {
                    problems.add(new ErrorDetail(field, missing(connector)));
                } else if (!"postgresql".equals(types.get(connector))) {
                    problems.add(new ErrorDetail(field, "SQL checks run against postgresql connectors; this one is "
                            + types.get(connector) + "."));
                }
            });
            if (!problems.isEmpty()) {
                throw new Unprocessable("The steps refer to connectors that cannot be used.", problems);
            }
            return null;
        });
    }

    /** Webhook URLs pass the egress policy (422 naming {@code steps[i].config.url}); they are checked again at each run. */
    private Uni<Void> checkWebhooks(EgressOrigin origin, List<Step> steps) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if ("webhook".equals(step.type())) {
                String field = "steps[" + i + "].config.url";
                String url = step.config().path("url").asText();
                chain = chain.chain(() -> egress.admitUrl(origin, field, url));
            }
        }
        return chain;
    }

    private static String missing(UUID connector) {
        return "Connector with ID '" + connector + "' was not found in this project.";
    }

    private Uni<Void> writeVersion(TenantRef tenant, Pipeline pipeline, int number, StepDefinitions.Defined defined, UUID by) {
        PipelineVersion version = new PipelineVersion();
        version.pipelineId = pipeline.id;
        version.number = number;
        version.steps = definitions.store(tenant, pipeline.id, defined);
        version.createdBy = by;
        return versions.persist(tenant, version).replaceWithVoid();
    }

    private void describe(Pipeline pipeline, PipelineInput input) {
        pipeline.name = input.name();
        pipeline.description = input.description();
        pipeline.schedule = input.schedule() == null ? null : text.write(input.schedule().withDefaults());
    }

    private Uni<Void> record(TenantRef tenant, String action, Pipeline p, ObjectNode before, ObjectNode after) {
        ObjectNode changes = AuditChanges.between(before, after, Set.of());
        if (changes.isEmpty() && AuditActions.RESOURCE_MODIFIED.equals(action)) {
            return Uni.createFrom().voidItem();
        }
        return audit.record(tenant, AuditEntry.of(AuditEntry.Category.RESOURCE, action)
                .withResource("pipeline", p.id, p.name).withProject(p.projectId).withChanges(changes));
    }

    /** The document the audit log compares; secrets appear as {@code {"set": true}}, never in plaintext. */
    private ObjectNode audited(Pipeline p, StepDefinitions.Defined steps) {
        ObjectNode doc = json.createObjectNode();
        doc.put("name", p.name);
        doc.put("description", p.description);
        doc.set("schedule", p.schedule == null ? null : text.read(p.schedule, JsonNode.class));
        doc.put("current_version", p.currentVersion);
        doc.set("steps", json.valueToTree(definitions.view(steps)));
        return doc;
    }

    private ObjectNode document(Current current) {
        ObjectNode doc = json.createObjectNode();
        Pipeline p = current.pipeline();
        doc.put("name", p.name);
        if (p.description != null) {
            doc.put("description", p.description);
        }
        doc.set("steps", json.valueToTree(definitions.view(current.steps())));
        if (p.schedule != null) {
            doc.set("schedule", text.read(p.schedule, JsonNode.class));
        }
        return doc;
    }

    private PipelineInput toInput(JsonNode merged) {
        try {
            return json.treeToValue(merged, PipelineInput.class);
        } catch (JsonProcessingException e) {
            throw JsonErrors.toBadRequest(e);
        }
    }

    private ETags.Tagged<PipelineView> tagged(Current c) {
        return new ETags.Tagged<>(view(c), ETags.of(c.pipeline().id, c.pipeline().version));
    }

    private PipelineView view(Current c) {
        Pipeline p = c.pipeline();
        return new PipelineView(p.id, p.projectId, p.name, p.description, definitions.view(c.steps()),
                p.schedule == null ? null : text.read(p.schedule, ScheduleSpec.class), p.currentVersion, p.createdBy,
                p.createdAt, p.updatedAt);
    }

    private PipelineApi.VersionView versionView(TenantRef tenant, Pipeline pipeline, PipelineVersion v) {
        return new PipelineApi.VersionView(v.number, v.number == pipeline.currentVersion,
                definitions.view(definitions.open(tenant, pipeline.id, v.steps)), v.createdBy, v.createdAt);
    }

    private Uni<Void> requireProject(TenantRef tenant, UUID projectId) {
        return projects.exists(tenant, projectId).invoke(exists -> {
            if (!exists) {
                throw NotFound.of("Project", projectId);
            }
        }).replaceWithVoid();
    }

    private static Conflict duplicate(String name) {
        return new Conflict("A pipeline named '" + name + "' already exists in this project.");
    }
}
