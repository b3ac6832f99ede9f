-- One row per schedule fire: the unique key is what makes a fire start exactly one run across replicas.
create table schedule_fires (
    id           uuid primary key,
    tenant_id    uuid        not null references tenants (id) on delete cascade,
    connector_id uuid        not null references connectors (id) on delete cascade,
    fire_time    timestamptz not null,
    run_id       uuid,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    version      bigint      not null default 0,
    unique (connector_id, fire_time)
);
