package io.rimedata.platform.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The only way to touch tenant-owned rows. Every query this class runs starts with
 * {@code tenantId = :tenant}, and writes refuse an entity of another tenant, so isolation does not depend on
 * each author remembering a {@code where} clause. Subclasses add typed finders on top of these methods.
 * Callers run inside a Panache session ({@code @WithSession}/{@code @WithTransaction} on the service).
 * PostgreSQL's row-level security is the second wall behind this class: the session's connection only sees the rows
 * of the tenant its {@link DatabaseScope} names, so a query here that forgot its tenant would still find nothing.
 */
public abstract class TenantScopedRepository<E extends TenantOwnedEntity> {

    private final Class<E> type;
    private final String entity;

    protected TenantScopedRepository(Class<E> type) {
        this.type = type;
        this.entity = type.getSimpleName();
    }

    public Uni<E> findById(TenantRef tenant, UUID id) {
        return findOne(tenant, "id = :id", Map.of("id", id));
    }

    public Uni<E> persist(TenantRef tenant, E row) {
        if (row.tenantId == null) {
            row.tenantId = tenant.id();
        }
        requireOwned(tenant, row);
        return session().chain(s -> s.persist(row).chain(s::flush)).replaceWith(row);
    }

    /** Inserts rows with one flush at the end, so the inserts go out in batches. */
    public Uni<Void> persistAll(TenantRef tenant, List<E> rows) {
        for (E row : rows) {
            if (row.tenantId == null) {
                row.tenantId = tenant.id();
            }
            requireOwned(tenant, row);
        }
        return session().chain(s -> s.persistAll(rows.toArray()).chain(s::flush));
    }

    /** Flushes pending changes of managed rows so constraint violations surface inside the service. */
    public Uni<Void> flush() {
        return session().chain(Mutiny.Session::flush);
    }

    public Uni<Void> delete(TenantRef tenant, E row) {
        requireOwned(tenant, row);
        return session().chain(s -> s.remove(row).chain(s::flush));
    }

    protected Uni<E> findOne(TenantRef tenant, String where, Map<String, Object> params) {
        return session().chain(s -> bind(s.createSelectionQuery(hql(where, null), type), tenant, params)
                .setMaxResults(1).getSingleResultOrNull());
    }

    /** The first row in the given order, or null. */
    protected Uni<E> first(TenantRef tenant, String where, String orderBy, Map<String, Object> params) {
        return session().chain(s -> bind(s.createSelectionQuery(hql(where, orderBy), type), tenant, params)
                .setMaxResults(1).getSingleResultOrNull());
    }

    /** At most {@code max} rows in the given order. */
    protected Uni<List<E>> list(TenantRef tenant, String where, String orderBy, Map<String, Object> params, int max) {
        return session().chain(s -> bind(s.createSelectionQuery(hql(where, orderBy), type), tenant, params)
                .setMaxResults(max).getResultList());
    }

    protected Uni<List<E>> list(TenantRef tenant, String where, String orderBy, Map<String, Object> params) {
        return session().chain(s -> bind(s.createSelectionQuery(hql(where, orderBy), type), tenant, params).getResultList());
    }

    /**
     * A targeted update of some columns of the tenant's rows, for state that several writers touch (a run's progress
     * versus a cancel request) where rewriting the whole row would lose the other writer's change.
     */
    protected Uni<Integer> update(TenantRef tenant, String set, String where, Map<String, Object> params) {
        String query = "update " + entity + " set " + set + " where tenantId = :tenant"
                + (where == null || where.isBlank() ? "" : " and (" + where + ")");
        return session().chain(s -> {
            var mutation = s.createMutationQuery(query);
            mutation.setParameter("tenant", Objects.requireNonNull(tenant, "tenant").id());
            params.forEach(mutation::setParameter);
            return mutation.executeUpdate();
        });
    }

    protected Uni<Long> count(TenantRef tenant, String where, Map<String, Object> params) {
        String query = "select count(*) from " + entity + " where tenantId = :tenant"
                + (where == null || where.isBlank() ? "" : " and (" + where + ")");
        return session().chain(s -> bind(s.createSelectionQuery(query, Long.class), tenant, params).getSingleResult());
    }

    /**
     * One page of a keyset list ordered by id (creation order); fetches {@code limit + 1} rows so the caller can
     * tell whether more follow.
     */
    protected Uni<List<E>> page(TenantRef tenant, String where, Map<String, Object> params, PageRequest page) {
        Map<String, Object> all = new HashMap<>(params);
        StringBuilder clause = new StringBuilder(where == null || where.isBlank() ? "1 = 1" : "(" + where + ")");
        if (page.after() != null) {
            clause.append(page.ascending() ? " and id > :after" : " and id < :after");
            all.put("after", page.after());
        }
        String order = page.ascending() ? "id asc" : "id desc";
        return session().chain(s -> bind(s.createSelectionQuery(hql(clause.toString(), order), type), tenant, all)
                .setMaxResults(page.limit() + 1).getResultList());
    }

    private String hql(String where, String orderBy) {
        return "from " + entity + " where tenantId = :tenant"
                + (where == null || where.isBlank() ? "" : " and (" + where + ")")
                + (orderBy == null ? "" : " order by " + orderBy);
    }

    private static <R> Mutiny.SelectionQuery<R> bind(Mutiny.SelectionQuery<R> query, TenantRef tenant,
            Map<String, Object> params) {
        query.setParameter("tenant", Objects.requireNonNull(tenant, "tenant").id());
        params.forEach(query::setParameter);
        return query;
    }

    private static void requireOwned(TenantRef tenant, TenantOwnedEntity row) {
        if (!tenant.id().equals(row.tenantId)) {
            throw new IllegalStateException("Refusing to write a row of another tenant");
        }
    }

    private static Uni<Mutiny.Session> session() {
        return Panache.getSession();
    }
}
