package io.rimedata.identity.service;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.rimedata.identity.IdentityConfig;
import io.rimedata.identity.rest.PlatformApi;
import io.rimedata.platform.config.PlatformConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Seeds the demo tenant {@code acme} for the local run command and prints how to call it. */
@ApplicationScoped
public class DemoSeeder {

    private static final Logger LOG = Logger.getLogger(DemoSeeder.class);
    static final String SUBDOMAIN = "acme";
    static final String EMAIL = "admin@acme.test";

    void onStart(@Observes StartupEvent event, IdentityConfig identity, PlatformConfig platform,
            TenantProvisioning provisioning, @ConfigProperty(name = "quarkus.http.ssl-port") int httpsPort) {
        if (!identity.demo().seed()) {
            return;
        }
        String password = identity.demo().password();
        String host = SUBDOMAIN + "." + platform.baseDomain() + ":" + httpsPort;
        // Hibernate Reactive needs a Vert.x context; the start-up thread has none
        VertxContextSupport.subscribe(() -> provisioning.exists(SUBDOMAIN).chain(exists -> exists
                ? Uni.createFrom().item(false)
                : provisioning.provision(new PlatformApi.CreateTenant(SUBDOMAIN, "Acme Corporation", "business",
                        new PlatformApi.AdminInput(EMAIL, "Ada", "Admin", password))).replaceWith(true)).toMulti(),
                subscriber -> subscriber.with(created -> LOG.infof("""
                        Demo tenant '%s' %s. Try it:

                          TOKEN=$(curl -sk https://%s/api/v1/auth/login -H 'Content-Type: application/json' \\
                            -d '{"email":"%s","password":"%s"}' | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                          curl -sk https://%s/api/v1/projects -H "Authorization: Bearer $TOKEN"

                        API docs: https://%s/api/docs   Health: http://localhost:9000/q/health
                        """, SUBDOMAIN, created ? "created" : "already present", host, EMAIL, password, host, host),
                        failure -> LOG.errorf("Could not seed the demo tenant: %s", failure.toString())));
    }
}
