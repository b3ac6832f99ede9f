-- Connector runs (§4) and the per-run event log that live progress (§9) is served from.
create table connector_runs (
    id               uuid primary key,
    tenant_id        uuid        not null references tenants (id) on delete cascade,
    project_id       uuid        not null references projects (id) on delete cascade,
    connector_id     uuid        not null references connectors (id) on delete cascade,
    trigger          varchar(16) not null check (trigger in ('scheduled', 'manual', 'pipeline')),
    status           varchar(20) not null check (status in ('running', 'completed', 'partially_failed', 'failed', 'skipped', 'cancelled')),
    started_at       timestamptz not null,
    finished_at      timestamptz,
    total_rows       bigint      not null default 0,
    tables           text        not null default '[]',
    error            text,
    cancel_requested boolean     not null default false,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    version          bigint      not null default 0
);
-- at most one running sync per connector: an overlapping manual sync is a 409
create unique index connector_runs_one_running on connector_runs (connector_id) where status = 'running';
create index connector_runs_connector on connector_runs (tenant_id, connector_id, id desc);

create table run_events (
    id         uuid primary key,
    run_id     uuid        not null,
    seq        bigint      not null,
    tenant_id  uuid        not null references tenants (id) on delete cascade,
    type       varchar(32) not null,
    payload    text        not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    version    bigint      not null default 0,
    unique (run_id, seq)
);
