-- Audit log (§10). An entry is written to audit_outbox in the transaction of the change it records, so it commits
-- or rolls back with that change; the relay then moves it into audit_events, the table the API reads.

create table audit_outbox (
    -- UUIDv7 taken when the entry was written; the event keeps it, so event order is outbox order
    id         uuid        primary key,
    tenant_id  uuid        not null references tenants (id) on delete cascade,
    -- the whole entry as JSON (actor, action, resource, changes, ...)
    payload    text        not null,
    attempts   int         not null default 0,
    last_error text,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    version    bigint      not null default 0
);
create index audit_outbox_tenant on audit_outbox (tenant_id);

create table audit_events (
    id            uuid         primary key,
    tenant_id     uuid         not null references tenants (id) on delete cascade,
    occurred_at   timestamptz  not null,
    actor_type    varchar(16)  not null check (actor_type in ('user', 'api_key', 'system', 'operator')),
    actor_id      uuid,
    actor_email   varchar(320),
    category      varchar(16)  not null check (category in ('auth', 'resource', 'governance')),
    action        varchar(100) not null,
    resource_type varchar(64),
    -- text rather than uuid: some resources are named by a path (a classified column)
    resource_id   varchar(255),
    resource_name varchar(300),
    project_id    uuid,
    -- {"field.path": {"before": ..., "after": ...}} for changed fields only, secrets redacted
    changes       text,
    source_ip     varchar(64),
    request_id    varchar(64),
    outcome       varchar(16)  not null check (outcome in ('success', 'failure')),
    created_at    timestamptz  not null,
    updated_at    timestamptz  not null,
    version       bigint       not null default 0
);
-- newest first is the default listing; the filters that narrow most get their own keyset index
create index audit_events_tenant_id on audit_events (tenant_id, id desc);
create index audit_events_tenant_occurred on audit_events (tenant_id, occurred_at);
create index audit_events_tenant_project on audit_events (tenant_id, project_id, id desc) where project_id is not null;
create index audit_events_tenant_actor on audit_events (tenant_id, actor_id, id desc) where actor_id is not null;
create index audit_events_tenant_resource on audit_events (tenant_id, resource_type, resource_id, id desc);
