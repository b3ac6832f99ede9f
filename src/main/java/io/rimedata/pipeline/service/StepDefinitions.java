package io.rimedata.pipeline.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.pipeline.dag.Dag;
import io.rimedata.pipeline.dag.StepNode;
import io.rimedata.pipeline.rest.PipelineApi.Retry;
import io.rimedata.pipeline.rest.PipelineApi.Step;
import io.rimedata.pipeline.step.CheckSql;
import io.rimedata.pipeline.step.StepConfigs;
import io.rimedata.platform.crypto.SecretBox;
import io.rimedata.platform.error.BadRequest;
import io.rimedata.platform.error.ErrorDetail;
import io.rimedata.platform.error.JsonErrors;
import io.rimedata.platform.error.Unprocessable;
import io.rimedata.platform.error.Violations;
import io.rimedata.platform.persistence.JsonText;
import io.rimedata.platform.tenancy.TenantRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A pipeline's steps between the API and storage: field validation (400), graph validation (422), defaults, and the
 * write-only {@code webhook.signing_secret}, which is stored sealed inside the step ({@code {"sealed": "…"}}) and
 * shown as {@code {"set": true}}.
 */
@ApplicationScoped
public class StepDefinitions {

    static final String SECRET = "signing_secret";
    private static final TypeReference<List<Step>> STEPS = new TypeReference<>() {
    };

    private final ObjectMapper json;
    private final JsonText text;
    private final Validator validator;
    private final SecretBox secretBox;

    StepDefinitions(ObjectMapper json, JsonText text, Validator validator, SecretBox secretBox) {
        this.json = json;
        this.text = text;
        this.validator = validator;
        this.secretBox = secretBox;
    }

    /** Steps in their stored shape with every default applied, and their secrets in plaintext by step key. */
    public record Defined(List<Step> steps, Map<String, String> secrets) {

        /** What decides whether a change is structural: the steps, with each secret as its hash. */
        String fingerprint(ObjectMapper json) {
            List<Step> hashed = steps.stream().map(s -> !secrets.containsKey(s.key()) ? s
                    : withSecret(s, json.createObjectNode().put("sha256", sha256(secrets.get(s.key()))))).toList();
            try {
                return json.writeValueAsString(hashed);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Validates the steps of a new pipeline (see {@link #define(List, Defined)}). */
    public Defined define(List<Step> input) {
        return define(input, new Defined(List.of(), Map.of()));
    }

    /**
     * Validates steps as sent by a client: every field-level problem at once as a 400, then the graph's problems as
     * a 422. {@code current} holds the steps as stored, whose secrets {@code {"set": true}} keeps, but only for a
     * webhook whose URL is unchanged: a stored signing secret is never sent to a new destination (422 otherwise).
     */
    public Defined define(List<Step> input, Defined current) {
        Map<String, String> kept = current.secrets();
        Map<String, String> keptUrls = new TreeMap<>();
        current.steps().stream().filter(s -> kept.containsKey(s.key()))
                .forEach(s -> keptUrls.put(s.key(), s.config().path("url").asText(null)));
        List<ErrorDetail> moved = new ArrayList<>();
        List<ErrorDetail> errors = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        Map<String, String> secrets = new TreeMap<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < input.size(); i++) {
            Step step = input.get(i);
            String at = "steps[" + i + "]";
            if (!keys.add(step.key())) {
                errors.add(new ErrorDetail(at + ".key", "Another step already has the key '" + step.key() + "'."));
            }
            ObjectNode config = config(at + ".config", step, kept, secrets, errors);
            if (secrets.containsKey(step.key()) && kept.containsKey(step.key()) && keptSecret(step)
                    && !Objects.equals(keptUrls.get(step.key()), config.path("url").asText(null))) {
                moved.add(new ErrorDetail(at + ".config." + SECRET, "Re-supply the signing secret (or null to drop it): "
                        + "the URL changed, and a stored secret is never sent to a new destination."));
            }
            Retry retry = step.retry() == null ? new Retry(null, null, null) : step.retry();
            steps.add(new Step(step.key(), step.name() == null ? step.key() : step.name(), step.type(), config,
                    step.dependsOn() == null ? List.of() : List.copyOf(step.dependsOn()),
                    step.timeoutSeconds() == null ? 3600 : step.timeoutSeconds(),
                    new Retry(retry.maxAttempts() == null ? 1 : retry.maxAttempts(),
                            retry.backoffSeconds() == null ? 30 : retry.backoffSeconds(),
                            retry.backoffMultiplier() == null ? 2.0 : retry.backoffMultiplier()),
                    step.onFailure() == null ? "stop" : step.onFailure()));
        }
        if (!errors.isEmpty()) {
            throw new BadRequest(BadRequest.DEFAULT_MESSAGE, errors);
        }
        if (!moved.isEmpty()) {
            throw new Unprocessable("A webhook's URL changed: re-supply its signing secret.", moved);
        }
        List<ErrorDetail> problems = Dag.problems(steps.stream().map(s -> new StepNode(s.key(), s.dependsOn())).toList());
        if (!problems.isEmpty()) {
            throw new Unprocessable(problems.stream().anyMatch(p -> p.message().contains("cycle"))
                    ? "The steps form a cycle." : "The steps' dependencies are invalid.", problems);
        }
        return new Defined(steps, secrets);
    }

    /** Whether the step's config asks to keep the stored secret ({@code {"set": true}}). */
    private static boolean keptSecret(Step step) {
        JsonNode secret = step.config() == null ? null : step.config().get(SECRET);
        return secret != null && secret.isObject();
    }

    /** Reads the config into its type's record (unknown fields rejected), then applies Bean Validation. */
    private ObjectNode config(String at, Step step, Map<String, String> kept, Map<String, String> secrets,
            List<ErrorDetail> errors) {
        if (step.config() != null && !step.config().isObject()) {
            errors.add(new ErrorDetail(at, "Must be an object."));
            return json.createObjectNode();
        }
        ObjectNode given = step.config() == null ? json.createObjectNode() : ((ObjectNode) step.config()).deepCopy();
        if ("webhook".equals(step.type()) && given.has(SECRET)) {
            JsonNode secret = given.remove(SECRET);
            if (secret.isTextual() && !secret.asText().isEmpty()) {
                secrets.put(step.key(), secret.asText());
            } else if (secret.isObject() && secret.path("set").asBoolean(false) && secret.size() == 1
                    && kept.containsKey(step.key())) {
                secrets.put(step.key(), kept.get(step.key()));
            } else if (!secret.isNull()) {
                errors.add(new ErrorDetail(at + "." + SECRET, kept.containsKey(step.key())
                        ? "Must be a non-empty string, {\"set\": true} to keep the current secret, or null."
                        : "Must be a non-empty string."));
            }
        }
        Object typed;
        try {
            typed = json.treeToValue(given, StepConfigs.of(step.type()));
        } catch (JsonProcessingException e) {
            JsonErrors.toBadRequest(e).details().forEach(d -> errors.add(new ErrorDetail(
                    "$".equals(d.field()) ? at : at + "." + d.field(), d.message())));
            return given;
        } catch (IllegalArgumentException e) {
            errors.add(new ErrorDetail(at, "Invalid config."));
            return given;
        }
        List<ErrorDetail> violations = Violations.details(validator.validate(typed));
        violations.forEach(d -> errors.add(new ErrorDetail(at + "." + d.field(), d.message())));
        if (typed instanceof StepConfigs.Validate v && (v.checks() == null) == (v.transformationId() == null)) {
            errors.add(new ErrorDetail(at, "Give either checks or transformation_id."));
        }
        if (typed instanceof StepConfigs.Validate v && v.checks() != null) {
            for (int j = 0; j < v.checks().size(); j++) {
                StepConfigs.Check check = v.checks().get(j);
                String problem = check == null || check.sql() == null || check.sql().length() > CheckSql.MAX_LENGTH
                        ? null : CheckSql.problem(check.sql()); // blank and too long are Bean Validation's
                if (problem != null && !check.sql().isBlank()) {
                    errors.add(new ErrorDetail(at + ".checks[" + j + "].sql", problem));
                }
            }
        }
        ObjectNode normalised = json.valueToTree(typed);
        if (typed instanceof StepConfigs.Webhook w && w.method() == null) {
            normalised.put("method", "POST");
        }
        normalised.remove(SECRET);
        return normalised;
    }

    /** The stored form: secrets sealed in place. */
    public String store(TenantRef tenant, UUID pipelineId, Defined defined) {
        return text.write(defined.steps().stream().map(s -> !defined.secrets().containsKey(s.key()) ? s
                : withSecret(s, json.createObjectNode().put("sealed",
                        secretBox.seal(defined.secrets().get(s.key()), aad(tenant, pipelineId, s.key()))))).toList());
    }

    /** Reads stored steps back, secrets opened. */
    public Defined open(TenantRef tenant, UUID pipelineId, String stored) {
        List<Step> steps = new ArrayList<>();
        Map<String, String> secrets = new TreeMap<>();
        for (Step s : text.read(stored, STEPS)) {
            JsonNode sealed = s.config().path(SECRET).path("sealed");
            if (sealed.isTextual()) {
                secrets.put(s.key(), secretBox.open(sealed.asText(), aad(tenant, pipelineId, s.key())));
                ObjectNode config = ((ObjectNode) s.config()).deepCopy();
                config.remove(SECRET);
                s = withConfig(s, config);
            }
            steps.add(s);
        }
        return new Defined(steps, secrets);
    }

    /** What clients see: secrets as {@code {"set": true}}. */
    public List<Step> view(Defined defined) {
        return defined.steps().stream().map(s -> !defined.secrets().containsKey(s.key()) ? s
                : withSecret(s, json.createObjectNode().put("set", true))).toList();
    }

    public boolean sameStructure(Defined a, Defined b) {
        return a.fingerprint(json).equals(b.fingerprint(json));
    }

    private static Step withSecret(Step s, JsonNode secret) {
        ObjectNode config = ((ObjectNode) s.config()).deepCopy();
        config.set(SECRET, secret);
        return withConfig(s, config);
    }

    private static Step withConfig(Step s, ObjectNode config) {
        return new Step(s.key(), s.name(), s.type(), config, s.dependsOn(), s.timeoutSeconds(), s.retry(), s.onFailure());
    }

    private static String aad(TenantRef tenant, UUID pipelineId, String key) {
        return "pipeline-step:" + tenant.id() + ":" + pipelineId + ":" + key;
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
