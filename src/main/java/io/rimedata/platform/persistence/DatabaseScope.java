package io.rimedata.platform.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Whose rows a database connection may see: PostgreSQL's row-level security (migration V11) compares every
 * tenant-owned row with the {@code rime.tenant} setting, and lets {@code rime.scope = 'platform'} through. The scope
 * lives on the current Vert.x context; {@link ScopedPool} applies it to each connection as it leaves the pool, before
 * the session's first statement, so a session opened without a scope sees no tenant's rows at all.
 * <p>
 * Requests get their tenant from the tenancy filter. Work outside requests declares it: {@link #forTenant} around
 * the sessions it opens for one tenant, {@link #forPlatform} around the few deliberately cross-tenant reads (listed
 * in README, "Security model"). A scope must be declared before the session opens: a session already open on the
 * context keeps the scope its connection got.
 */
public final class DatabaseScope {

    /** What a connection is set to; {@code NONE} sees nothing tenant-owned. */
    public record Scope(UUID tenant, boolean platform) {
        public static final Scope NONE = new Scope(null, false);
        public static final Scope PLATFORM = new Scope(null, true);
    }

    private static final String KEY = "rime.database-scope";

    private DatabaseScope() {
    }

    /** Runs {@code work} with the connections it opens scoped to {@code tenant}; the previous scope returns after. */
    public static <T> Uni<T> forTenant(TenantRef tenant, Supplier<Uni<T>> work) {
        return within(new Scope(Objects.requireNonNull(tenant, "tenant").id(), false), work);
    }

    /** A transaction for {@code tenant} (joining the caller's session if one is open on this context). */
    public static <T> Uni<T> transaction(TenantRef tenant, Supplier<Uni<T>> work) {
        return forTenant(tenant, () -> Panache.withTransaction(work));
    }

    /** A session for {@code tenant} (joining the caller's session if one is open on this context). */
    public static <T> Uni<T> session(TenantRef tenant, Supplier<Uni<T>> work) {
        return forTenant(tenant, () -> Panache.withSession(work));
    }

    /** Runs deliberately cross-tenant {@code work}: its connections see every tenant's rows. */
    public static <T> Uni<T> forPlatform(Supplier<Uni<T>> work) {
        return within(Scope.PLATFORM, work);
    }

    /** Scopes the rest of the current request to {@code tenant} (the tenancy filter, once the host is resolved). */
    public static void enterTenant(UUID tenant) {
        put(Vertx.currentContext(), new Scope(Objects.requireNonNull(tenant, "tenant"), false));
    }

    /** Scopes the rest of the current request to the platform (the operator's routes). */
    public static void enterPlatform() {
        put(Vertx.currentContext(), Scope.PLATFORM);
    }

    /** The scope of the current context; {@code NONE} outside any. */
    public static Scope current() {
        Scope scope = get(Vertx.currentContext());
        return scope == null ? Scope.NONE : scope;
    }

    /** Scopes everything that runs on {@code context} to {@code tenant}: a context started for one tenant's work. */
    public static void dedicate(Context context, TenantRef tenant) {
        put(context, new Scope(Objects.requireNonNull(tenant, "tenant").id(), false));
    }

    /**
     * Hands a tenant scope on to work started from this context (never the platform scope: cross-tenant work is
     * declared where it happens, not inherited).
     */
    public static void inherit(Context from, Context to) {
        Scope scope = get(from);
        if (scope != null && scope.tenant() != null) {
            put(to, scope);
        }
    }

    private static <T> Uni<T> within(Scope scope, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            if (!isDuplicated(context)) {
                // No request or background context, no Panache session either: the work fails on its own, unscoped.
                return work.get();
            }
            Scope previous = get(context);
            put(context, scope);
            Uni<T> started;
            try {
                started = work.get();
            } catch (RuntimeException e) {
                put(context, previous);
                throw e;
            }
            return started.onTermination().invoke(() -> put(context, previous));
        });
    }

    private static boolean isDuplicated(Context context) {
        return context != null && VertxContext.isDuplicatedContext(context);
    }

    /** Locals exist only on duplicated contexts (a root context is shared by unrelated work). */
    private static Scope get(Context context) {
        return isDuplicated(context) ? context.getLocal(KEY) : null;
    }

    private static void put(Context context, Scope scope) {
        if (!isDuplicated(context)) {
            return;
        }
        if (scope == null) {
            context.removeLocal(KEY);
        } else {
            context.putLocal(KEY, scope);
        }
    }
}
