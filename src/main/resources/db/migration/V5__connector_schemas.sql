-- The last discovered schema of each connector (one row per connector; its id is the connector's).
create table connector_schemas (
    id            uuid primary key references connectors (id) on delete cascade,
    tenant_id     uuid        not null references tenants (id) on delete cascade,
    discovered_at timestamptz not null,
    tables        text        not null,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    version       bigint      not null default 0
);
