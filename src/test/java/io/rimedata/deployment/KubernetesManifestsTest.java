package io.rimedata.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders deployment/k8s with {@code kubectl kustomize} (offline: no cluster is needed) and checks what a cluster
 * would not: that probes, ports, grace period, upload limit and configuration agree with the server itself
 * (application.properties), and that the objects agree with one another (selectors, references, the Secret's name).
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("deployment", "k8s");
    private static final Path BASE = K8S.resolve("base");
    private static final Path PRODUCTION = K8S.resolve("overlays").resolve("production");
    private static final Path APPLICATION_PROPERTIES = Path.of("src", "main", "resources", "application.properties");

    private static final String SECRET = "rime-api-secrets";
    private static final String PRODUCTION_NAMESPACE = "rime";

    /** Every kind the manifests may hold, with the API version each must use. */
    private static final Map<String, String> KINDS = Map.of(
            "Deployment", "apps/v1",
            "Service", "v1",
            "ConfigMap", "v1",
            "ServiceAccount", "v1",
            "PersistentVolumeClaim", "v1",
            "PodDisruptionBudget", "policy/v1",
            "HorizontalPodAutoscaler", "autoscaling/v2",
            "Ingress", "networking.k8s.io/v1",
            "NetworkPolicy", "networking.k8s.io/v1");

    private static final Map<Path, List<JsonNode>> RENDERED = new HashMap<>();

    static Stream<Path> layouts() {
        return Stream.of(BASE, PRODUCTION);
    }

    // ---- every document -----------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("layouts")
    void everyDocumentIsAKnownKindWithItsApiVersionAndAName(Path layout) {
        List<JsonNode> docs = render(layout);
        Set<String> seen = new TreeSet<>();
        for (JsonNode doc : docs) {
            String kind = text(doc, "kind");
            String name = text(doc, "metadata", "name");
            assertNotNull(kind, layout + ": a document has no kind: " + doc);
            assertNotNull(text(doc, "apiVersion"), layout + ": " + kind + " has no apiVersion");
            assertTrue(name != null && !name.isBlank(), layout + ": a " + kind + " has no metadata.name");
            assertTrue(KINDS.containsKey(kind), layout + ": unexpected kind " + kind + " (" + name + "); known: "
                    + new TreeSet<>(KINDS.keySet()));
            assertEquals(KINDS.get(kind), text(doc, "apiVersion"), layout + ": apiVersion of " + kind + " " + name);
            assertTrue(seen.add(kind + "/" + name), layout + ": " + kind + " " + name + " appears twice");
        }
        for (String kind : KINDS.keySet()) {
            assertEquals(1, ofKind(docs, kind).size(), layout + ": expected exactly one " + kind);
        }
    }

    @Test
    void theBaseHasNoNamespaceAndProductionPutsEverythingInRime() {
        for (JsonNode doc : render(BASE)) {
            assertNull(text(doc, "metadata", "namespace"), "base: " + describe(doc) + " names a namespace");
        }
        for (JsonNode doc : render(PRODUCTION)) {
            assertEquals(PRODUCTION_NAMESPACE, text(doc, "metadata", "namespace"), "production: " + describe(doc));
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void noSecretIsCommitted(Path layout) {
        for (JsonNode doc : render(layout)) {
            assertNotEquals("Secret", text(doc, "kind"), layout + ": a Secret (" + text(doc, "metadata", "name")
                    + ") is in the manifests; " + SECRET + " is created outside them");
        }
    }

    // ---- the pod ------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("layouts")
    void probesAskTheManagementPortForStartedReadyAndLive(Path layout) {
        List<JsonNode> docs = render(layout);
        JsonNode container = apiContainer(docs);
        int management = port(docs, "RIME_MANAGEMENT_PORT", "quarkus.management.port");
        Map<String, String> paths = Map.of(
                "startupProbe", "/q/health/started",
                "readinessProbe", "/q/health/ready",
                "livenessProbe", "/q/health/live");
        paths.forEach((probe, path) -> {
            JsonNode get = container.path(probe).path("httpGet");
            assertTrue(get.isObject(), layout + ": " + probe + " is missing or not an httpGet");
            assertEquals(path, get.path("path").asText(), layout + ": " + probe + " path");
            assertEquals(management, containerPort(container, get.path("port")),
                    layout + ": " + probe + " must ask the management port");
            JsonNode p = container.path(probe);
            assertTrue(p.path("timeoutSeconds").asInt(1) <= p.path("periodSeconds").asInt(10),
                    layout + ": " + probe + " times out after its next period begins");
        });
        JsonNode startup = container.path("startupProbe");
        assertTrue(startup.path("periodSeconds").asInt(10) * startup.path("failureThreshold").asInt(3) >= 120,
                layout + ": the startup probe must allow Flyway's migrations at least two minutes");
        assertTrue(container.path("livenessProbe").path("failureThreshold").asInt(3) >= 3,
                layout + ": one slow answer (a GC pause) must not restart the pod");
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void theContainerExposesTheServersPorts(Path layout) {
        List<JsonNode> docs = render(layout);
        JsonNode container = apiContainer(docs);
        Map<String, Integer> expected = Map.of(
                "http", port(docs, "RIME_HTTP_PORT", "quarkus.http.port"),
                "https", port(docs, "RIME_HTTPS_PORT", "quarkus.http.ssl-port"),
                "management", port(docs, "RIME_MANAGEMENT_PORT", "quarkus.management.port"));
        expected.forEach((name, number) -> assertEquals(number, containerPort(container, TextNode.valueOf(name)),
                layout + ": container port " + name));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void everyContainerHasRequestsAndLimitsWithLimitsAtLeastTheRequests(Path layout) {
        JsonNode pod = podSpec(render(layout));
        List<JsonNode> containers = new ArrayList<>();
        pod.path("containers").forEach(containers::add);
        pod.path("initContainers").forEach(containers::add);
        assertFalse(containers.isEmpty(), layout + ": no containers");
        for (JsonNode c : containers) {
            for (String resource : List.of("cpu", "memory")) {
                String request = text(c, "resources", "requests", resource);
                String limit = text(c, "resources", "limits", resource);
                assertNotNull(request, layout + ": " + c.path("name").asText() + " has no " + resource + " request");
                assertNotNull(limit, layout + ": " + c.path("name").asText() + " has no " + resource + " limit");
                assertTrue(quantity(limit).compareTo(quantity(request)) >= 0,
                        layout + ": " + resource + " limit " + limit + " is below the request " + request);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void theGracePeriodCoversPreStopShutdownDelayAndDrain(Path layout) {
        List<JsonNode> docs = render(layout);
        JsonNode pod = podSpec(docs);
        long preStop = preStopSeconds(apiContainer(docs));
        assertTrue(preStop > 0, layout + ": the pod needs a preStop pause while endpoint removal propagates");
        long delay = duration(effectiveSetting(docs, "RIME_SHUTDOWN_DELAY", "quarkus.shutdown.delay")).toSeconds();
        long drain = duration(property("quarkus.shutdown.timeout")).toSeconds();
        long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
        long margin = 5;
        assertTrue(grace >= preStop + delay + drain + margin, layout + ": terminationGracePeriodSeconds " + grace
                + " < preStop " + preStop + " + shutdown delay " + delay + " + shutdown timeout " + drain
                + " + margin " + margin);
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void podsRunAsNonRootWithoutPrivileges(Path layout) {
        List<JsonNode> docs = render(layout);
        JsonNode pod = podSpec(docs);
        JsonNode podSecurity = pod.path("securityContext");
        assertNotEquals(0, podSecurity.path("runAsUser").asInt(-1), layout + ": pod runs as UID 0");
        Set<String> mounts = new HashSet<>();
        for (JsonNode c : pod.path("containers")) {
            String name = c.path("name").asText();
            JsonNode sc = c.path("securityContext");
            boolean nonRoot = sc.has("runAsNonRoot") ? sc.path("runAsNonRoot").asBoolean()
                    : podSecurity.path("runAsNonRoot").asBoolean(false);
            assertTrue(nonRoot, layout + ": " + name + " must set runAsNonRoot");
            assertNotEquals(0, sc.path("runAsUser").asInt(-1), layout + ": " + name + " runs as UID 0");
            assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true),
                    layout + ": " + name + " must set allowPrivilegeEscalation: false");
            assertTrue(textValues(sc.path("capabilities").path("drop")).contains("ALL"),
                    layout + ": " + name + " must drop ALL capabilities");
            assertTrue(sc.path("capabilities").path("add").isMissingNode(), layout + ": " + name + " adds capabilities");
            String seccomp = sc.has("seccompProfile") ? sc.path("seccompProfile").path("type").asText()
                    : podSecurity.path("seccompProfile").path("type").asText();
            assertEquals("RuntimeDefault", seccomp, layout + ": " + name + " seccomp profile");
            c.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
            if (sc.path("readOnlyRootFilesystem").asBoolean(false)) {
                assertTrue(mounts.contains("/tmp"),
                        layout + ": with a read-only root the JVM and Vert.x need a writable /tmp volume");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void eachReplicaIsNamedAfterItsPod(Path layout) {
        JsonNode env = envVar(apiContainer(render(layout)), "RIME_PLATFORM_REPLICA_ID");
        assertNotNull(env, layout + ": RIME_PLATFORM_REPLICA_ID is not set");
        assertEquals("metadata.name", env.path("valueFrom").path("fieldRef").path("fieldPath").asText(),
                layout + ": RIME_PLATFORM_REPLICA_ID must come from the pod name (downward API)");
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void theDataDirectoryIsOnAVolumeEveryReplicaShares(Path layout) {
        List<JsonNode> docs = render(layout);
        JsonNode pod = podSpec(docs);
        JsonNode container = apiContainer(docs);
        Map<String, String> config = config(docs);
        JsonNode pvc = ofKind(docs, "PersistentVolumeClaim").getFirst();
        assertTrue(config.containsKey("RIME_DATA_DIR"), layout + ": RIME_DATA_DIR is not in the ConfigMap");
        for (String setting : List.of("RIME_DATA_DIR", "QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY")) {
            String dir = config.get(setting);
            if (dir == null) {
                continue;
            }
            JsonNode mount = null;
            for (JsonNode m : container.path("volumeMounts")) {
                String path = m.path("mountPath").asText();
                if (dir.equals(path) || dir.startsWith(path.endsWith("/") ? path : path + "/")) {
                    mount = m;
                }
            }
            assertNotNull(mount, layout + ": " + setting + "=" + dir + " is on no volume mount");
            assertFalse(mount.path("readOnly").asBoolean(false), layout + ": " + setting + " is mounted read-only");
            JsonNode volume = volume(pod, mount.path("name").asText());
            assertEquals(text(pvc, "metadata", "name"), text(volume, "persistentVolumeClaim", "claimName"),
                    layout + ": " + setting + " must be on the PersistentVolumeClaim");
        }
        int replicas = Math.max(deployment(docs).path("spec").path("replicas").asInt(1),
                ofKind(docs, "HorizontalPodAutoscaler").getFirst().path("spec").path("maxReplicas").asInt(1));
        if (replicas > 1) {
            assertTrue(textValues(pvc.path("spec").path("accessModes")).contains("ReadWriteMany"),
                    layout + ": several replicas read one another's uploads, so the claim must be ReadWriteMany");
        }
    }

    // ---- references between objects ----------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("layouts")
    void selectorsMatchThePodLabels(Path layout) {
        List<JsonNode> docs = render(layout);
        JsonNode deployment = deployment(docs);
        JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
        JsonNode pod = podSpec(docs);
        Map<String, JsonNode> selectors = new HashMap<>();
        selectors.put("Deployment selector", deployment.path("spec").path("selector").path("matchLabels"));
        selectors.put("Service selector", ofKind(docs, "Service").getFirst().path("spec").path("selector"));
        selectors.put("PodDisruptionBudget selector",
                ofKind(docs, "PodDisruptionBudget").getFirst().path("spec").path("selector").path("matchLabels"));
        selectors.put("NetworkPolicy podSelector",
                ofKind(docs, "NetworkPolicy").getFirst().path("spec").path("podSelector").path("matchLabels"));
        int i = 0;
        for (JsonNode term : pod.path("affinity").path("podAntiAffinity")
                .path("preferredDuringSchedulingIgnoredDuringExecution")) {
            selectors.put("anti-affinity term " + i++, term.path("podAffinityTerm").path("labelSelector")
                    .path("matchLabels"));
        }
        for (JsonNode term : pod.path("affinity").path("podAntiAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution")) {
            selectors.put("anti-affinity term " + i++, term.path("labelSelector").path("matchLabels"));
        }
        for (JsonNode constraint : pod.path("topologySpreadConstraints")) {
            selectors.put("topology spread " + i++, constraint.path("labelSelector").path("matchLabels"));
        }
        assertTrue(i > 0, layout + ": replicas must be spread across nodes (anti-affinity or topology spread)");
        selectors.forEach((what, selector) -> {
            assertTrue(selector.isObject() && !selector.isEmpty(), layout + ": " + what + " is empty");
            selector.properties().forEach(e -> assertEquals(e.getValue().asText(), labels.path(e.getKey()).asText(null),
                    layout + ": " + what + " wants " + e.getKey() + "=" + e.getValue().asText()
                            + ", which the pod template does not carry"));
        });
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void theAutoscalerAndDisruptionBudgetFitTheDeployment(Path layout) {
        List<JsonNode> docs = render(layout);
        JsonNode deployment = deployment(docs);
        JsonNode hpa = ofKind(docs, "HorizontalPodAutoscaler").getFirst().path("spec");
        JsonNode target = hpa.path("scaleTargetRef");
        assertEquals("Deployment", target.path("kind").asText(), layout + ": HPA target kind");
        assertEquals("apps/v1", target.path("apiVersion").asText(), layout + ": HPA target apiVersion");
        assertEquals(text(deployment, "metadata", "name"), target.path("name").asText(), layout + ": HPA target");
        int min = hpa.path("minReplicas").asInt(1);
        int max = hpa.path("maxReplicas").asInt();
        assertTrue(min >= 2, layout + ": the HPA must keep two pods at least, got " + min);
        assertTrue(max > min, layout + ": maxReplicas " + max + " must exceed minReplicas " + min);
        int replicas = deployment.path("spec").path("replicas").asInt(1);
        assertTrue(replicas >= min && replicas <= max,
                layout + ": Deployment replicas " + replicas + " outside the HPA's " + min + ".." + max);
        boolean cpu = false;
        for (JsonNode metric : hpa.path("metrics")) {
            cpu |= "cpu".equals(metric.path("resource").path("name").asText())
                    && "Utilization".equals(metric.path("resource").path("target").path("type").asText())
                    && metric.path("resource").path("target").path("averageUtilization").asInt() > 0;
        }
        assertTrue(cpu, layout + ": the HPA must scale on CPU utilisation");

        JsonNode pdb = ofKind(docs, "PodDisruptionBudget").getFirst().path("spec");
        if (pdb.has("minAvailable")) {
            assertTrue(pdb.path("minAvailable").isInt() && pdb.path("minAvailable").asInt() < min,
                    layout + ": minAvailable must be a count below minReplicas " + min + " or drains never finish");
        } else {
            assertTrue(pdb.path("maxUnavailable").asInt(0) >= 1, layout + ": the PDB needs minAvailable or "
                    + "maxUnavailable >= 1");
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void referencesNameObjectsThatExist(Path layout) {
        List<JsonNode> docs = render(layout);
        JsonNode pod = podSpec(docs);
        JsonNode container = apiContainer(docs);
        Set<String> configMaps = names(ofKind(docs, "ConfigMap"));
        boolean fromConfigMap = false;
        for (JsonNode from : container.path("envFrom")) {
            if (from.has("configMapRef")) {
                fromConfigMap = true;
                assertTrue(configMaps.contains(from.path("configMapRef").path("name").asText()),
                        layout + ": envFrom names ConfigMap " + from.path("configMapRef").path("name").asText()
                                + ", rendered: " + configMaps);
            }
        }
        assertTrue(fromConfigMap, layout + ": the container must take its settings from the ConfigMap");
        assertTrue(configMaps.stream().allMatch(n -> n.startsWith("rime-api-config")), layout + ": " + configMaps);

        for (JsonNode v : pod.path("volumes")) {
            if (v.has("persistentVolumeClaim")) {
                assertTrue(names(ofKind(docs, "PersistentVolumeClaim"))
                        .contains(v.path("persistentVolumeClaim").path("claimName").asText()), layout + ": claim");
            }
        }

        JsonNode account = ofKind(docs, "ServiceAccount").getFirst();
        assertEquals(text(account, "metadata", "name"), pod.path("serviceAccountName").asText(),
                layout + ": the pod must use the manifests' ServiceAccount");
        assertFalse(account.path("automountServiceAccountToken").asBoolean(true),
                layout + ": the ServiceAccount must not mount an API token");
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true),
                layout + ": the pod must not mount an API token");

        JsonNode service = ofKind(docs, "Service").getFirst();
        assertEquals("ClusterIP", service.path("spec").path("type").asText("ClusterIP"), layout + ": Service type");
        Map<String, Integer> servicePorts = new HashMap<>();
        for (JsonNode p : service.path("spec").path("ports")) {
            servicePorts.put(p.path("name").asText(), p.path("port").asInt());
            JsonNode targetPort = p.has("targetPort") ? p.path("targetPort") : p.path("port");
            assertTrue(containerPort(container, targetPort) > 0,
                    layout + ": Service port " + p.path("name").asText() + " targets no container port");
        }
        assertTrue(servicePorts.keySet().containsAll(Set.of("http", "management")),
                layout + ": the Service must expose http and management, has " + servicePorts.keySet());
        for (JsonNode rule : ofKind(docs, "Ingress").getFirst().path("spec").path("rules")) {
            for (JsonNode path : rule.path("http").path("paths")) {
                JsonNode backend = path.path("backend").path("service");
                assertEquals(text(service, "metadata", "name"), backend.path("name").asText(),
                        layout + ": Ingress backend service");
                JsonNode port = backend.path("port");
                int number = port.has("name") ? servicePorts.getOrDefault(port.path("name").asText(), -1)
                        : port.path("number").asInt();
                assertEquals(servicePorts.get("http"), number,
                        layout + ": the Ingress must forward to the Service's http port");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void secretsAreReadOnlyFromRimeApiSecretsAndItsKeysAreDocumented(Path layout) throws IOException {
        List<JsonNode> docs = render(layout);
        List<String> keys = new ArrayList<>();
        for (JsonNode doc : docs) {
            walk(doc, node -> {
                if (node.has("secretKeyRef")) {
                    assertEquals(SECRET, node.path("secretKeyRef").path("name").asText(),
                            layout + ": secretKeyRef in " + describe(doc));
                    keys.add(node.path("secretKeyRef").path("key").asText());
                }
                if (node.has("secretRef")) {
                    assertEquals(SECRET, node.path("secretRef").path("name").asText(),
                            layout + ": envFrom secretRef in " + describe(doc));
                }
                if (node.has("secret") && node.path("secret").has("secretName")) {
                    assertEquals(SECRET, node.path("secret").path("secretName").asText(),
                            layout + ": secret volume in " + describe(doc));
                }
            });
        }
        assertFalse(keys.isEmpty(), layout + ": nothing reads " + SECRET);
        String readme = Files.readString(K8S.resolve("README.md"));
        for (String key : keys) {
            assertTrue(readme.contains("`" + key + "`"),
                    layout + ": Secret key " + key + " is read but not documented in deployment/k8s/README.md");
        }
        Map<String, String> config = config(docs);
        for (String key : keys) {
            assertFalse(config.containsKey(key), layout + ": " + key + " is both in the ConfigMap and the Secret");
        }
        for (String required : List.of("RIME_CURSOR_KEY", "RIME_SECRET_KEYS", "SMALLRYE_JWT_SIGN_KEY",
                "MP_JWT_VERIFY_PUBLICKEY", "RIME_DB_USER", "RIME_DB_PASSWORD", "RIME_DB_MIGRATION_USER",
                "RIME_DB_MIGRATION_PASSWORD")) {
            JsonNode env = envVar(apiContainer(docs), required);
            assertNotNull(env, layout + ": " + required + " is not set");
            assertEquals(SECRET, env.path("valueFrom").path("secretKeyRef").path("name").asText(),
                    layout + ": " + required + " must come from " + SECRET);
            assertFalse(env.path("valueFrom").path("secretKeyRef").path("optional").asBoolean(false),
                    layout + ": " + required + " is required by the server, so the pod must not start without it");
        }
    }

    // ---- the edge -----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("layouts")
    void theIngressTerminatesTlsForTheBaseDomainAndKeepsWebSocketsAndUploadsWorking(Path layout) {
        List<JsonNode> docs = render(layout);
        JsonNode ingress = ofKind(docs, "Ingress").getFirst();
        Map<String, String> config = config(docs);
        String domain = config.get("RIME_BASE_DOMAIN");
        assertNotNull(domain, layout + ": RIME_BASE_DOMAIN is not in the ConfigMap");

        Set<String> ruleHosts = new TreeSet<>();
        ingress.path("spec").path("rules").forEach(r -> ruleHosts.add(r.path("host").asText()));
        assertEquals(Set.of(domain, "*." + domain), ruleHosts,
                layout + ": the Ingress must serve the operator host and every tenant of " + domain);
        JsonNode tls = ingress.path("spec").path("tls");
        assertTrue(tls.isArray() && !tls.isEmpty(), layout + ": the Ingress has no TLS section");
        Set<String> tlsHosts = new HashSet<>();
        for (JsonNode t : tls) {
            assertFalse(t.path("secretName").asText("").isBlank(), layout + ": a TLS entry has no secretName");
            tlsHosts.addAll(textValues(t.path("hosts")));
        }
        assertTrue(tlsHosts.containsAll(ruleHosts), layout + ": hosts without TLS: " + ruleHosts + " vs " + tlsHosts);

        JsonNode annotations = ingress.path("metadata").path("annotations");
        for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
            String value = annotations.path("nginx.ingress.kubernetes.io/" + timeout).asText(null);
            assertNotNull(value, layout + ": nginx " + timeout + " is not set; WebSockets would be cut after 60 s");
            assertTrue(Long.parseLong(value) >= 3600, layout + ": nginx " + timeout + " " + value + " < 3600");
        }
        String bodySize = annotations.path("nginx.ingress.kubernetes.io/proxy-body-size").asText(null);
        assertNotNull(bodySize, layout + ": nginx proxy-body-size is not set; its 1m default refuses uploads");
        long serverLimit = bytes(property("quarkus.http.limits.max-body-size"));
        assertTrue(bytes(bodySize) >= serverLimit, layout + ": nginx proxy-body-size " + bodySize
                + " is below the server's own limit (" + serverLimit + " bytes)");
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void proxyModeTrustsOnlyTheIngress(Path layout) {
        Map<String, String> config = config(render(layout));
        assertEquals("true", config.get("RIME_PROXY_FORWARDING"),
                layout + ": behind the TLS-terminating Ingress, proxy mode must be on or every request is 403");
        assertFalse(config.getOrDefault("RIME_TRUSTED_PROXIES", "").isBlank(),
                layout + ": proxy mode without RIME_TRUSTED_PROXIES refuses to start (it would believe anyone's "
                        + "forwarded headers)");
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void theManagementPortListensOnThePodAddressSoProbesReachIt(Path layout) {
        assertTrue(property("quarkus.management.host").endsWith(":127.0.0.1}"),
                "outside Kubernetes, health and metrics listen on loopback by default");
        assertEquals("0.0.0.0", effectiveSetting(render(layout), "RIME_MANAGEMENT_HOST", "quarkus.management.host"),
                layout + ": the kubelet probes the pod's address, so the management port must listen on every interface");
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void theNetworkPolicyAdmitsOnlyTheIngressControllerAndMonitoring(Path layout) {
        List<JsonNode> docs = render(layout);
        JsonNode spec = ofKind(docs, "NetworkPolicy").getFirst().path("spec");
        assertEquals(Set.of("Ingress", "Egress"), new HashSet<>(textValues(spec.path("policyTypes"))),
                layout + ": the policy must restrict both directions");
        JsonNode container = apiContainer(docs);
        int http = port(docs, "RIME_HTTP_PORT", "quarkus.http.port");
        int management = port(docs, "RIME_MANAGEMENT_PORT", "quarkus.management.port");
        Map<Integer, Set<String>> admitted = new HashMap<>();
        for (JsonNode rule : spec.path("ingress")) {
            assertTrue(rule.path("from").isArray() && !rule.path("from").isEmpty(),
                    layout + ": an ingress rule without 'from' admits everyone");
            assertTrue(rule.path("ports").isArray() && !rule.path("ports").isEmpty(),
                    layout + ": an ingress rule without ports opens every port");
            Set<String> namespaces = new HashSet<>();
            for (JsonNode from : rule.path("from")) {
                assertTrue(from.has("namespaceSelector") && !from.has("ipBlock"),
                        layout + ": ingress sources must be namespaces");
                namespaces.add(from.path("namespaceSelector").path("matchLabels")
                        .path("kubernetes.io/metadata.name").asText());
            }
            for (JsonNode p : rule.path("ports")) {
                admitted.computeIfAbsent(containerPort(container, p.path("port")), k -> new HashSet<>())
                        .addAll(namespaces);
            }
        }
        assertEquals(Map.of(http, Set.of("ingress-nginx"), management, Set.of("monitoring")), admitted,
                layout + ": admitted namespaces per port");

        Set<String> egress = new HashSet<>();
        for (JsonNode rule : spec.path("egress")) {
            assertTrue(rule.path("ports").isArray() && !rule.path("ports").isEmpty(),
                    layout + ": an egress rule without ports opens every port");
            rule.path("ports").forEach(p -> egress.add(p.path("protocol").asText("TCP") + "/" + p.path("port").asText()));
        }
        assertEquals(Set.of("UDP/53", "TCP/53", "TCP/5432", "TCP/6379", "TCP/443"), egress,
                layout + ": egress ports (DNS, PostgreSQL, Redis, HTTPS)");
    }

    // ---- production ---------------------------------------------------------------------------------------------

    @Test
    void productionRunsThreeBiggerReplicasOfAReleasedImage() {
        JsonNode base = apiContainer(render(BASE));
        JsonNode production = apiContainer(render(PRODUCTION));
        assertEquals(3, deployment(render(PRODUCTION)).path("spec").path("replicas").asInt(), "production replicas");
        JsonNode hpa = ofKind(render(PRODUCTION), "HorizontalPodAutoscaler").getFirst().path("spec");
        assertTrue(hpa.path("minReplicas").asInt() >= 3, "production HPA minReplicas");
        assertTrue(hpa.path("maxReplicas").asInt() > ofKind(render(BASE), "HorizontalPodAutoscaler").getFirst()
                .path("spec").path("maxReplicas").asInt(), "production may grow beyond the base's maximum");
        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                assertTrue(quantity(text(production, "resources", kind, resource))
                        .compareTo(quantity(text(base, "resources", kind, resource))) > 0,
                        "production " + kind + "." + resource + " must be larger than the base's");
            }
        }
        String image = production.path("image").asText();
        assertNotEquals(base.path("image").asText(), image, "production must pin a released image");
        assertTrue(image.matches(".*rime-api:[\\w.-]+"), "production image: " + image);
        Map<String, String> config = config(render(PRODUCTION));
        assertEquals("rimedata.io", config.get("RIME_BASE_DOMAIN"), "production base domain");
    }

    // ---- rendering ----------------------------------------------------------------------------------------------

    private static synchronized List<JsonNode> render(Path layout) {
        return RENDERED.computeIfAbsent(layout, KubernetesManifestsTest::kustomize);
    }

    private static List<JsonNode> kustomize(Path layout) {
        String kubectl = kubectl();
        Path stderr = null;
        try {
            stderr = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(kubectl, "kustomize", layout.toString())
                    .redirectError(stderr.toFile()).start();
            byte[] out;
            try (InputStream in = process.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("kubectl kustomize " + layout + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                fail("kubectl kustomize " + layout + " failed (" + process.exitValue() + "):\n"
                        + Files.readString(stderr));
            }
            List<JsonNode> docs = new ArrayList<>();
            try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class)
                    .readValues(new String(out, StandardCharsets.UTF_8))) {
                while (it.hasNext()) {
                    JsonNode doc = it.next();
                    if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                        docs.add(doc);
                    }
                }
            }
            assertFalse(docs.isEmpty(), "kubectl kustomize " + layout + " rendered nothing");
            return docs;
        } catch (IOException e) {
            throw new IllegalStateException("could not run kubectl kustomize " + layout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (stderr != null) {
                try {
                    Files.deleteIfExists(stderr);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }

    /** $KUBECTL, else kubectl on the PATH, else /usr/bin/kubectl; failing, not skipping, when there is none. */
    private static String kubectl() {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            return Files.isExecutable(Path.of(configured)) ? configured
                    : fail("KUBECTL=" + configured + " is not an executable kubectl");
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        Path fallback = Path.of("/usr/bin/kubectl");
        if (Files.isExecutable(fallback)) {
            return fallback.toString();
        }
        return fail("kubectl is required to render deployment/k8s (kubectl kustomize, no cluster needed) and was not "
                + "found on the PATH or at /usr/bin/kubectl; install it or point KUBECTL at it");
    }

    // ---- reading the rendered objects ---------------------------------------------------------------------------

    private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(text(d, "kind"))).toList();
    }

    private static JsonNode deployment(List<JsonNode> docs) {
        List<JsonNode> deployments = ofKind(docs, "Deployment");
        assertEquals(1, deployments.size(), "expected one Deployment");
        return deployments.getFirst();
    }

    private static JsonNode podSpec(List<JsonNode> docs) {
        return deployment(docs).path("spec").path("template").path("spec");
    }

    private static JsonNode apiContainer(List<JsonNode> docs) {
        for (JsonNode c : podSpec(docs).path("containers")) {
            if ("rime-api".equals(c.path("name").asText())) {
                return c;
            }
        }
        return fail("the Deployment has no container named rime-api");
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode v : pod.path("volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        return fail("no volume named " + name);
    }

    private static JsonNode envVar(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return e;
            }
        }
        return null;
    }

    /** The merged data of the ConfigMaps the container takes its environment from. */
    private static Map<String, String> config(List<JsonNode> docs) {
        Set<String> referenced = new HashSet<>();
        apiContainer(docs).path("envFrom").forEach(f -> referenced.add(f.path("configMapRef").path("name").asText()));
        Map<String, String> config = new HashMap<>();
        for (JsonNode map : ofKind(docs, "ConfigMap")) {
            if (referenced.contains(text(map, "metadata", "name"))) {
                map.path("data").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
            }
        }
        return config;
    }

    /** A setting's value as the server sees it: explicit env, else the ConfigMap, else the default in the file. */
    private static String effectiveSetting(List<JsonNode> docs, String variable, String property) {
        JsonNode env = envVar(apiContainer(docs), variable);
        if (env != null && env.has("value")) {
            return env.path("value").asText();
        }
        String configured = config(docs).get(variable);
        if (configured != null) {
            return configured;
        }
        String raw = property(property);
        Matcher m = Pattern.compile("\\$\\{" + Pattern.quote(variable) + ":([^}]*)}").matcher(raw);
        if (m.matches()) {
            return m.group(1);
        }
        return fail(property + "=" + raw + " does not read " + variable + " with a default");
    }

    private static int port(List<JsonNode> docs, String variable, String property) {
        return Integer.parseInt(effectiveSetting(docs, variable, property));
    }

    /** A probe's, Service's or policy's port, named or numbered, as the container's port number (-1: none). */
    private static int containerPort(JsonNode container, JsonNode port) {
        for (JsonNode p : container.path("ports")) {
            if (port.isInt() ? port.asInt() == p.path("containerPort").asInt()
                    : port.asText().equals(p.path("name").asText())) {
                return p.path("containerPort").asInt();
            }
        }
        return -1;
    }

    private static long preStopSeconds(JsonNode container) {
        JsonNode preStop = container.path("lifecycle").path("preStop");
        if (preStop.has("sleep")) {
            return preStop.path("sleep").path("seconds").asLong();
        }
        List<String> command = textValues(preStop.path("exec").path("command"));
        String joined = String.join(" ", command);
        Matcher m = Pattern.compile("(?:^|\\s)sleep\\s+(\\d+)(?:\\s|$)").matcher(joined);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static Set<String> names(List<JsonNode> docs) {
        Set<String> names = new HashSet<>();
        docs.forEach(d -> names.add(text(d, "metadata", "name")));
        return names;
    }

    private static String describe(JsonNode doc) {
        return text(doc, "kind") + " " + text(doc, "metadata", "name");
    }

    private static String text(JsonNode node, String... path) {
        JsonNode at = node;
        for (String p : path) {
            at = at.path(p);
        }
        return at.isValueNode() ? at.asText() : null;
    }

    private static List<String> textValues(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static void walk(JsonNode node, Consumer<JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(node);
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            walk(it.next(), visit);
        }
    }

    // ---- the server's own configuration -------------------------------------------------------------------------

    private static String property(String name) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(APPLICATION_PROPERTIES)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String value = properties.getProperty(name);
        assertNotNull(value, name + " is not in " + APPLICATION_PROPERTIES);
        return value;
    }

    /** Quarkus' simple durations ("5s", "500ms", "2m") and ISO-8601 ones. */
    private static Duration duration(String value) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(value.trim());
        if (!m.matches()) {
            return Duration.parse(value.trim());
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** Sizes as Quarkus ("101M") and nginx ("128m") write them; both mean powers of 1024. */
    private static long bytes(String value) {
        Matcher m = Pattern.compile("(\\d+)([kmg]?)").matcher(value.trim().toLowerCase(Locale.ROOT));
        assertTrue(m.matches(), "not a size: " + value);
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "k" -> amount << 10;
            case "m" -> amount << 20;
            case "g" -> amount << 30;
            default -> amount;
        };
    }

    /** Kubernetes quantities: "250m" CPU, "2", "768Mi", "2Gi", "1G". */
    private static BigDecimal quantity(String value) {
        assertNotNull(value, "missing quantity");
        Matcher m = Pattern.compile("([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?").matcher(value.trim());
        assertTrue(m.matches(), "not a quantity: " + value);
        BigDecimal amount = new BigDecimal(m.group(1));
        if (m.group(2) == null) {
            return amount;
        }
        return switch (m.group(2)) {
            case "m" -> amount.movePointLeft(3);
            case "k" -> amount.movePointRight(3);
            case "M" -> amount.movePointRight(6);
            case "G" -> amount.movePointRight(9);
            case "T" -> amount.movePointRight(12);
            case "Ki" -> amount.multiply(BigDecimal.valueOf(1L << 10));
            case "Mi" -> amount.multiply(BigDecimal.valueOf(1L << 20));
            case "Gi" -> amount.multiply(BigDecimal.valueOf(1L << 30));
            default -> amount.multiply(BigDecimal.valueOf(1L << 40));
        };
    }
}
