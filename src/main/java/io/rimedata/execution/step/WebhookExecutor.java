package io.rimedata.execution.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.platform.egress.BoundedBody;
import io.rimedata.platform.egress.CheckedUrl;
import io.rimedata.platform.egress.Egress;
import io.rimedata.platform.egress.EgressOrigin;
import io.rimedata.platform.egress.EgressRefused;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code webhook}: one HTTP request, bounded by the step's timeout. With a signing secret it carries
 * {@code Rime-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}, as outbound webhooks do. A non-2xx
 * answer fails the attempt; the status code and latency are the step's output either way. The URL passes the egress
 * policy at every attempt and the request goes to the checked address; redirects are not followed (a 3xx fails the
 * attempt); at most {@code rime.egress.max-webhook-response-bytes} of the answer are read.
 */
@ApplicationScoped
public class WebhookExecutor implements StepExecutor {

    static final String SIGNATURE = "Rime-Signature";

    private final HttpClient client;
    private final ObjectMapper json;
    private final Egress egress;

    WebhookExecutor(Vertx vertx, ObjectMapper json, Egress egress) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setTrustAll(false).setVerifyHost(true));
        this.json = json;
        this.egress = egress;
    }

    @PreDestroy
    void close() {
        client.close().subscribe().with(v -> { }, e -> { });
    }

    @Override
    public Set<String> types() {
        return Set.of("webhook");
    }

    @Override
    public Uni<StepOutcome> execute(StepTask task) {
        JsonNode config = task.config();
        EgressOrigin origin = EgressOrigin.of(task.tenant().id(), task.projectId(), "pipeline", task.pipelineId(), null);
        return egress.url(origin, "config.url", config.path("url").asText())
                .onItemOrFailure().transformToUni((checked, refused) -> refused instanceof EgressRefused r
                        ? Uni.createFrom().item(StepOutcome.failure("The webhook was not sent: " + r.reason()))
                        : refused != null ? Uni.createFrom().item(StepOutcome.failure("The webhook could not be delivered."))
                        : deliver(task, checked));
    }

    private Uni<StepOutcome> deliver(StepTask task, CheckedUrl checked) {
        JsonNode config = task.config();
        String body = body(task, config.path("body"));
        RequestOptions options = checked.options(HttpMethod.valueOf(config.path("method").asText("POST")))
                .setTimeout(Math.max(1, task.timeout().toMillis()))
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "Rime-Webhook/1")
                .putHeader("Rime-Delivery-Id", task.runId() + ":" + task.key() + ":" + task.attempt());
        Iterator<Map.Entry<String, JsonNode>> headers = config.path("headers").fields();
        while (headers.hasNext()) {
            Map.Entry<String, JsonNode> header = headers.next();
            options.putHeader(header.getKey(), header.getValue().asText());
        }
        if (task.secret() != null) {
            options.putHeader(SIGNATURE, sign(task.secret(), System.currentTimeMillis() / 1000, body));
        }
        long started = System.nanoTime();
        long limit = egress.config().maxWebhookResponseBytes();
        return client.request(options)
                .chain(request -> request.send(Buffer.buffer(body)))
                .chain(response -> BoundedBody.read(response, limit, "the webhook").map(ignored -> response.statusCode()))
                .chain(status -> {
                    long latency = (System.nanoTime() - started) / 1_000_000;
                    ObjectNode output = json.createObjectNode().put("status_code", status).put("latency_ms", latency);
                    String line = options.getMethod() + " " + config.path("url").asText() + " → " + status + " in " + latency + " ms";
                    return task.report().log(line).replaceWith(status >= 200 && status < 300 ? StepOutcome.success(output)
                            : StepOutcome.failure("The webhook answered " + status + ".", output));
                })
                .onFailure().recoverWithItem(failure -> StepOutcome.failure("The webhook could not be delivered: "
                        + (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage())));
    }

    /** The body template with its placeholders filled, or a JSON object naming the run and step. */
    private String body(StepTask task, JsonNode template) {
        if (template.isTextual()) {
            return template.asText().replace("{{pipeline_id}}", task.pipelineId().toString())
                    .replace("{{run_id}}", task.runId().toString()).replace("{{step_key}}", task.key())
                    .replace("{{attempt}}", Integer.toString(task.attempt()));
        }
        return json.createObjectNode().put("pipeline_id", task.pipelineId().toString()).put("run_id", task.runId().toString())
                .put("step_key", task.key()).put("attempt", task.attempt()).toString();
    }

    /** {@code t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>}. */
    public static String sign(String secret, long unixSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
