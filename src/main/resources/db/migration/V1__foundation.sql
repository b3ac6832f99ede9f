-- Tenancy and identity core. Every tenant-owned table carries tenant_id, and its indexes lead with it.

create table tenants (
    id               uuid primary key,
    subdomain        varchar(63)  not null unique,
    name             varchar(200) not null,
    tier             varchar(32)  not null check (tier in ('free', 'small_business', 'business', 'business_critical')),
    default_timezone varchar(64)  not null,
    status           varchar(16)  not null check (status in ('active', 'suspended')),
    created_at       timestamptz  not null,
    updated_at       timestamptz  not null,
    version          bigint       not null default 0
);

create table users (
    id                    uuid primary key,
    tenant_id             uuid         not null references tenants (id) on delete cascade,
    email                 varchar(320) not null,
    password_hash         varchar(100),
    first_name            varchar(100),
    last_name             varchar(100),
    role                  varchar(32)  not null check (role in ('admin', 'governance_admin', 'editor', 'viewer')),
    status                varchar(16)  not null check (status in ('active', 'invited', 'deactivated')),
    invitation_token_hash varchar(64),
    invitation_expires_at timestamptz,
    created_at            timestamptz  not null,
    updated_at            timestamptz  not null,
    version               bigint       not null default 0
);
create unique index users_tenant_email on users (tenant_id, email);
create unique index users_invitation on users (invitation_token_hash) where invitation_token_hash is not null;

create table auth_sessions (
    id             uuid primary key,
    tenant_id      uuid        not null references tenants (id) on delete cascade,
    user_id        uuid        not null references users (id) on delete cascade,
    expires_at     timestamptz not null,
    last_used_at   timestamptz not null,
    revoked_at     timestamptz,
    revoked_reason varchar(64),
    source_ip      varchar(64),
    user_agent     varchar(400),
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    version        bigint      not null default 0
);
create index auth_sessions_user on auth_sessions (tenant_id, user_id);

create table refresh_tokens (
    id         uuid primary key,
    tenant_id  uuid        not null references tenants (id) on delete cascade,
    session_id uuid        not null references auth_sessions (id) on delete cascade,
    token_hash varchar(64) not null unique,
    used_at    timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    version    bigint      not null default 0
);
create index refresh_tokens_session on refresh_tokens (tenant_id, session_id);

create table projects (
    id          uuid primary key,
    tenant_id   uuid         not null references tenants (id) on delete cascade,
    name        varchar(100) not null,
    description text,
    settings    text         not null,
    secrets     text,
    created_by  uuid,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    version     bigint       not null default 0
);
-- names are unique per tenant regardless of case, as users read them
create unique index projects_tenant_name on projects (tenant_id, lower(name));
create index projects_tenant_id on projects (tenant_id, id);
