-- External runners (§7.4) and the jobs they lease.
create table runners (
    id           uuid primary key,
    tenant_id    uuid         not null references tenants (id) on delete cascade,
    name         varchar(100) not null,
    token_hash   varchar(64)  not null unique,
    prefix       varchar(16)  not null,
    last_seen_at timestamptz,
    created_by   uuid,
    created_at   timestamptz  not null,
    updated_at   timestamptz  not null,
    version      bigint       not null default 0
);

create table runner_jobs (
    id               uuid primary key,
    tenant_id        uuid        not null references tenants (id) on delete cascade,
    kind             varchar(32) not null,
    subject_id       uuid        not null,
    payload          text        not null,
    status           varchar(16) not null check (status in ('queued', 'leased', 'completed', 'failed')),
    attempts         int         not null default 0,
    max_attempts     int         not null,
    runner_id        uuid,
    lease_expires_at timestamptz,
    deadline_at      timestamptz not null,
    result           text,
    error            text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    version          bigint      not null default 0
);
create index runner_jobs_available on runner_jobs (tenant_id, status, id);
