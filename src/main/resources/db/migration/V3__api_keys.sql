-- Project-scoped API keys (§2.2). Only the SHA-256 of a key is stored; the prefix is what lists show.
create table api_keys (
    id           uuid primary key,
    tenant_id    uuid         not null references tenants (id) on delete cascade,
    project_id   uuid         not null references projects (id) on delete cascade,
    name         varchar(100) not null,
    prefix       varchar(16)  not null,
    key_hash     varchar(64)  not null unique,
    role         varchar(32)  not null check (role in ('admin', 'governance_admin', 'editor', 'viewer')),
    scopes       text,
    created_by   uuid         not null,
    last_used_at timestamptz,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    created_at   timestamptz  not null,
    updated_at   timestamptz  not null,
    version      bigint       not null default 0
);
create index api_keys_project on api_keys (tenant_id, project_id, id);
