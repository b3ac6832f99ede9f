package io.rimedata.platform.http;

import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the API listeners accept connections: the management port opens first, and a probe that saw it
 * UP earlier would send traffic to a pod whose HTTPS port still refuses connections.
 */
@Readiness
@ApplicationScoped
public class ListenerReadiness implements HealthCheck {

    private volatile boolean http;
    private volatile boolean https;

    void onHttp(@ObservesAsync HttpServerStart event) {
        http = true;
    }

    void onHttps(@ObservesAsync HttpsServerStart event) {
        https = true;
    }

    @Override
    public HealthCheckResponse call() {
        // with TLS configured the HTTPS listener is what clients use; in proxy mode it is plain HTTP
        return HealthCheckResponse.named("api-listeners").status(https || http).withData("http", http)
                .withData("https", https).build();
    }
}
