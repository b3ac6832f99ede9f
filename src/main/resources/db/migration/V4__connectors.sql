-- Connectors (§4). Non-secret configuration as JSON; secrets sealed together in one AES-256-GCM envelope.
create table connectors (
    id         uuid primary key,
    tenant_id  uuid         not null references tenants (id) on delete cascade,
    project_id uuid         not null references projects (id) on delete cascade,
    name       varchar(100) not null,
    type       varchar(32)  not null,
    config     text         not null,
    secrets    text,
    tables     text         not null,
    schedule   text,
    status     varchar(16)  not null check (status in ('active', 'paused')),
    created_by uuid,
    created_at timestamptz  not null,
    updated_at timestamptz  not null,
    version    bigint       not null default 0
);
create unique index connectors_project_name on connectors (project_id, lower(name));
create index connectors_project on connectors (tenant_id, project_id, id);
