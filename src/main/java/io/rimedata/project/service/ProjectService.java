package io.rimedata.project.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.rimedata.audit.service.AuditActions;
import io.rimedata.audit.service.AuditChanges;
import io.rimedata.audit.service.AuditEntry;
import io.rimedata.audit.service.AuditLog;
import io.rimedata.identity.Caller;
import io.rimedata.identity.Limit;
import io.rimedata.identity.service.Quotas;
import io.rimedata.platform.crypto.SecretBox;
import io.rimedata.platform.error.BadRequest;
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
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.project.Project;
import io.rimedata.project.repository.ProjectRepository;
import io.rimedata.project.rest.ProjectApi;
import io.rimedata.project.rest.ProjectApi.ProjectInput;
import io.rimedata.project.rest.ProjectApi.ProjectView;
import io.rimedata.project.rest.ProjectApi.SettingsInput;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/** Projects (§3): CRUD with merge-patch updates, optimistic concurrency and encrypted settings secrets. */
@ApplicationScoped
public class ProjectService {

    public static final String DEFAULT_TIMEZONE = "Pacific/Auckland";
    private static final String KIND = "Project";
    /** Where secrets sit in the audited document of a project. */
    private static final Set<String> AUDIT_SECRETS = ProjectSecrets.PATHS.stream().map(path -> "settings." + path)
            .collect(Collectors.toUnmodifiableSet());

    private final ProjectRepository projects;
    private final ObjectMapper json;
    private final JsonText text;
    private final SecretBox secretBox;
    private final Validator validator;
    private final Quotas quotas;
    private final AuditLog audit;

    ProjectService(ProjectRepository projects, ObjectMapper json, JsonText text, SecretBox secretBox, Validator validator,
            Quotas quotas, AuditLog audit) {
        this.quotas = quotas;
        this.audit = audit;
        this.projects = projects;
        this.json = json;
        this.text = text;
        this.secretBox = secretBox;
        this.validator = validator;
    }

    @WithTransaction
    public Uni<ETags.Tagged<ProjectView>> create(TenantRef tenant, Caller caller, ProjectInput input) {
        SettingsInput settings = withDefaults(input.settings());
        Map<String, String> secrets = ProjectSecrets.fromInput(settings);
        requireSecrets(settings, secrets);
        return quotas.require(tenant, Limit.PROJECTS).chain(() -> projects.nameTaken(tenant, input.name(), null)).chain(taken -> {
            if (taken) {
                return Uni.createFrom().failure(duplicate(input.name()));
            }
            Project project = new Project();
            project.id = UuidV7.next();
            project.createdBy = caller.userId();
            apply(tenant, project, input, settings, secrets);
            return projects.persist(tenant, project)
                    .call(saved -> record(tenant, AuditActions.RESOURCE_CREATED, saved, null, audited(saved, secrets)))
                    .map(saved -> tagged(tenant, saved));
        });
    }

    @WithSession
    public Uni<ETags.Tagged<ProjectView>> get(TenantRef tenant, UUID id) {
        return require(tenant, id).map(project -> tagged(tenant, project));
    }

    @WithSession
    public Uni<Page<ProjectView>> list(TenantRef tenant, PageRequest page) {
        return projects.page(tenant, page).map(rows -> page.toPage(rows, (Project p) -> p.id).map(p -> view(tenant, p)));
    }

    /**
     * Applies a JSON merge patch to the writable document of the project. Secret fields in the patch set (string)
     * or clear ({@code null}) the secret; absent secrets are kept.
     */
    @WithTransaction
    public Uni<ETags.Tagged<ProjectView>> update(TenantRef tenant, UUID id, JsonNode patch, String ifMatch) {
        JsonMergePatch.require(patch);
        return require(tenant, id).chain(project -> {
            ETags.requireMatch(ifMatch, ETags.of(project.id, project.version));
            ObjectNode remainder = ((ObjectNode) patch).deepCopy();
            Map<String, String> secrets = openSecrets(tenant, project);
            ObjectNode before = audited(project, secrets);
            Set<String> supplied = ProjectSecrets.applyPatch(remainder, secrets);
            ProjectInput merged = toInput(JsonMergePatch.apply(document(project), remainder));
            Violations.throwIfAny(validator.validate(merged));
            SettingsInput settings = withDefaults(merged.settings());
            List<String> stale = ProjectSecrets.notResupplied(text.read(project.settings, SettingsInput.class), settings,
                    secrets, supplied);
            if (!stale.isEmpty()) {
                throw new Unprocessable("The Snowflake account changed: supply its secrets again in the same request; "
                        + "stored secrets are never sent to another account.", stale.stream()
                        .map(path -> new ErrorDetail("settings." + path, "Required again because the account changed."))
                        .toList());
            }
            ProjectSecrets.dropOrphans(settings, secrets);
            requireSecrets(settings, secrets);
            return projects.nameTaken(tenant, merged.name(), project.id).chain(taken -> {
                if (taken) {
                    return Uni.createFrom().failure(duplicate(merged.name()));
                }
                apply(tenant, project, merged, settings, secrets);
                return projects.flush()
                        .chain(() -> record(tenant, AuditActions.RESOURCE_MODIFIED, project, before,
                                audited(project, secrets)))
                        .map(v -> tagged(tenant, project));
            });
        });
    }

    @WithTransaction
    public Uni<Void> delete(TenantRef tenant, UUID id, String ifMatch) {
        return require(tenant, id).chain(project -> {
            ETags.requireMatch(ifMatch, ETags.of(project.id, project.version));
            ObjectNode before = audited(project, openSecrets(tenant, project));
            return projects.delete(tenant, project)
                    .chain(() -> record(tenant, AuditActions.RESOURCE_DELETED, project, before, null));
        });
    }

    private Uni<Project> require(TenantRef tenant, UUID id) {
        return projects.findById(tenant, id).map(project -> {
            if (project == null) {
                throw NotFound.of(KIND, id);
            }
            return project;
        });
    }

    private void apply(TenantRef tenant, Project project, ProjectInput input, SettingsInput settings,
            Map<String, String> secrets) {
        project.name = input.name();
        project.description = input.description();
        project.settings = text.write(ProjectSecrets.withoutSecrets(settings));
        project.secrets = secrets.isEmpty() ? null : secretBox.seal(text.write(secrets), aad(tenant, project.id));
    }

    /** Records what changed, if anything did, in the transaction of the change. */
    private Uni<Void> record(TenantRef tenant, String action, Project project, ObjectNode before, ObjectNode after) {
        ObjectNode changes = AuditChanges.between(before, after, AUDIT_SECRETS);
        if (changes.isEmpty() && AuditActions.RESOURCE_MODIFIED.equals(action)) {
            return Uni.createFrom().voidItem();
        }
        return audit.record(tenant, AuditEntry.of(AuditEntry.Category.RESOURCE, action)
                .withResource("project", project.id, project.name).withProject(project.id).withChanges(changes));
    }

    /** The writable document with its secrets in place, for the audit log to compare (and redact). */
    private ObjectNode audited(Project project, Map<String, String> secrets) {
        ObjectNode doc = document(project);
        ObjectNode settings = (ObjectNode) doc.get("settings");
        secrets.forEach((path, value) -> {
            String section = path.substring(0, path.indexOf('.'));
            JsonNode existing = settings.get(section);
            ObjectNode node = existing != null && existing.isObject() ? (ObjectNode) existing : settings.putObject(section);
            node.put(path.substring(section.length() + 1), value);
        });
        return doc;
    }

    private ETags.Tagged<ProjectView> tagged(TenantRef tenant, Project project) {
        return new ETags.Tagged<>(view(tenant, project), ETags.of(project.id, project.version));
    }

    private ProjectView view(TenantRef tenant, Project p) {
        SettingsInput settings = text.read(p.settings, SettingsInput.class);
        Map<String, String> secrets = openSecrets(tenant, p);
        return new ProjectView(p.id, p.name, p.description, ProjectSecrets.view(settings, secrets.keySet()), p.createdBy,
                p.createdAt, p.updatedAt);
    }

    /** The writable document a merge patch applies to: everything but secrets. */
    private ObjectNode document(Project project) {
        ObjectNode doc = json.createObjectNode();
        doc.put("name", project.name);
        if (project.description != null) {
            doc.put("description", project.description);
        }
        doc.set("settings", text.read(project.settings, JsonNode.class));
        return doc;
    }

    private ProjectInput toInput(JsonNode merged) {
        try {
            return json.treeToValue(merged, ProjectInput.class);
        } catch (JsonProcessingException e) {
            throw JsonErrors.toBadRequest(e);
        }
    }

    private Map<String, String> openSecrets(TenantRef tenant, Project project) {
        if (project.secrets == null) {
            return new TreeMap<>();
        }
        return new TreeMap<>(text.read(secretBox.open(project.secrets, aad(tenant, project.id)), new TypeReference<Map<String, String>>() {
        }));
    }

    private static String aad(TenantRef tenant, UUID projectId) {
        return "project-settings:" + tenant.id() + ":" + projectId;
    }

    private static SettingsInput withDefaults(SettingsInput settings) {
        if (settings == null) {
            return new SettingsInput(DEFAULT_TIMEZONE, null, null, null);
        }
        return settings.defaultTimezone() != null ? settings
                : new SettingsInput(DEFAULT_TIMEZONE, settings.snowflake(), settings.aws(), settings.driftDetection());
    }

    private static void requireSecrets(SettingsInput settings, Map<String, String> secrets) {
        List<ErrorDetail> missing = new ArrayList<>();
        ProjectSecrets.missing(settings, secrets).forEach(path -> missing.add(new ErrorDetail("settings." + path,
                "Required by the chosen authentication or access method.")));
        if (settings.aws() != null && "role".equals(settings.aws().accessMethod()) && settings.aws().roleArn() == null) {
            missing.add(new ErrorDetail("settings.aws.role_arn", "Required when access_method is role."));
        }
        if (settings.aws() != null && "access_key".equals(settings.aws().accessMethod()) && settings.aws().accessKeyId() == null) {
            missing.add(new ErrorDetail("settings.aws.access_key_id", "Required when access_method is access_key."));
        }
        if (!missing.isEmpty()) {
            throw new BadRequest(BadRequest.DEFAULT_MESSAGE, missing);
        }
    }

    private static Conflict duplicate(String name) {
        return new Conflict("A project named '" + name + "' already exists.");
    }



}
