package io.rimedata.execution.service;

import io.rimedata.audit.service.AuditActions;
import io.rimedata.audit.service.AuditEntry;
import io.rimedata.audit.service.AuditLog;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.rimedata.execution.Runner;
import io.rimedata.execution.RunnerPrincipal;
import io.rimedata.execution.repository.RunnerRepository;
import io.rimedata.execution.rest.RunnerApi;
import io.rimedata.identity.Caller;
import io.rimedata.identity.token.OpaqueTokens;
import io.rimedata.platform.error.NotFound;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Runner registration (admin) and runner authentication. */
@ApplicationScoped
public class RunnerService {

    public static final String PREFIX = "rnr_";
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final RunnerRepository runners;
    private final AuditLog audit;

    RunnerService(RunnerRepository runners, AuditLog audit) {
        this.runners = runners;
        this.audit = audit;
    }

    @WithTransaction
    public Uni<RunnerApi.RunnerView> register(TenantRef tenant, Caller caller, RunnerApi.CreateRunner request) {
        String token = OpaqueTokens.generate(PREFIX);
        Runner runner = new Runner();
        runner.name = request.name();
        runner.tokenHash = OpaqueTokens.hash(token);
        runner.prefix = token.substring(0, 12);
        runner.createdBy = caller.userId();
        return runners.persist(tenant, runner)
                .call(saved -> audit.record(tenant, AuditEntry.of(AuditEntry.Category.RESOURCE, AuditActions.RESOURCE_CREATED)
                        .withResource("runner", saved.id, saved.name)))
                .map(saved -> RunnerApi.RunnerView.of(saved, token));
    }

    @WithSession
    public Uni<Page<RunnerApi.RunnerView>> list(TenantRef tenant, PageRequest page) {
        return runners.page(tenant, page).map(rows -> page.toPage(rows, (Runner r) -> r.id).map(r -> RunnerApi.RunnerView.of(r, null)));
    }

    /** Deletes a runner; its token stops working on the next request, and its leases run out. */
    @WithTransaction
    public Uni<Void> delete(TenantRef tenant, UUID id) {
        return runners.findById(tenant, id).chain(runner -> {
            if (runner == null) {
                return Uni.createFrom().failure(NotFound.of("Runner", id));
            }
            return audit.record(tenant, AuditEntry.of(AuditEntry.Category.RESOURCE, AuditActions.RESOURCE_DELETED)
                    .withResource("runner", runner.id, runner.name)).chain(() -> runners.delete(tenant, runner));
        });
    }

    /** Whether the tenant has registered any runner. */
    @WithSession
    public Uni<Boolean> anyRegistered(TenantRef tenant) {
        return runners.any(tenant);
    }

    /** The principal of a presented runner token, or null. Runners poll, so a database lookup per call is fine. */
    public Uni<RunnerPrincipal> authenticate(TenantRef tenant, String token) {
        Instant now = Instant.now();
        return DatabaseScope.transaction(tenant, () -> runners.findByHash(tenant, OpaqueTokens.hash(token)).chain(runner -> {
            if (runner == null) {
                return Uni.createFrom().nullItem();
            }
            RunnerPrincipal principal = new RunnerPrincipal(runner.id, runner.tenantId);
            if (runner.lastSeenAt == null || runner.lastSeenAt.isBefore(now.minus(TOUCH_INTERVAL))) {
                runner.lastSeenAt = now.truncatedTo(ChronoUnit.MILLIS);
                return runners.flush().replaceWith(principal);
            }
            return Uni.createFrom().item(principal);
        }));
    }
}
