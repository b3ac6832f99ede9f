-- Pipelines (§7): definitions with immutable versions, runs with per-step state, schedule fires and step logs.
create table pipelines (
    id              uuid primary key,
    tenant_id       uuid          not null references tenants (id) on delete cascade,
    project_id      uuid          not null references projects (id) on delete cascade,
    name            varchar(100)  not null,
    description     varchar(2000),
    schedule        text,
    current_version int           not null,
    created_by      uuid,
    created_at      timestamptz   not null,
    updated_at      timestamptz   not null,
    version         bigint        not null default 0
);
create unique index pipelines_name on pipelines (project_id, name);
create index pipelines_project on pipelines (tenant_id, project_id, id);

-- Versions never change once written: runs read their steps from here, and caches may keep them.
create table pipeline_versions (
    id          uuid primary key,
    tenant_id   uuid        not null references tenants (id) on delete cascade,
    pipeline_id uuid        not null references pipelines (id) on delete cascade,
    number      int         not null,
    steps       text        not null,
    created_by  uuid,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    version     bigint      not null default 0,
    unique (pipeline_id, number)
);

create table pipeline_runs (
    id             uuid primary key,
    tenant_id      uuid        not null references tenants (id) on delete cascade,
    project_id     uuid        not null references projects (id) on delete cascade,
    pipeline_id    uuid        not null references pipelines (id) on delete cascade,
    pipeline_version int       not null,
    trigger        varchar(16) not null check (trigger in ('scheduled', 'manual', 'retry')),
    status         varchar(16) not null check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'skipped')),
    retry_of       uuid,
    fire_time      timestamptz,
    started_at     timestamptz,
    finished_at    timestamptz,
    -- the run's event log position: bumped under the run's row lock, so seq increases by exactly one
    last_seq       bigint      not null default 0,
    error          text,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    version        bigint      not null default 0
);
create index pipeline_runs_pipeline on pipeline_runs (tenant_id, pipeline_id, id desc);
create index pipeline_runs_active on pipeline_runs (pipeline_id, status) where status in ('queued', 'running');

create table pipeline_run_steps (
    id                 uuid primary key,
    tenant_id          uuid         not null references tenants (id) on delete cascade,
    run_id             uuid         not null references pipeline_runs (id) on delete cascade,
    position           int          not null,
    key                varchar(64)  not null,
    name               varchar(200) not null,
    type               varchar(16)  not null,
    depends_on         text         not null,
    stop_on_failure    boolean      not null,
    max_attempts       int          not null,
    backoff_seconds    int          not null,
    backoff_multiplier double precision not null,
    timeout_seconds    int          not null,
    status             varchar(16)  not null check (status in ('pending', 'running', 'retrying', 'succeeded', 'failed', 'skipped', 'cancelled')),
    attempt            int          not null default 0,
    started_at         timestamptz,
    finished_at        timestamptz,
    next_attempt_at    timestamptz,
    deadline_at        timestamptz,
    lease_owner        varchar(100),
    lease_expires_at   timestamptz,
    takeovers          int          not null default 0,
    progress           text,
    error              text,
    output             text,
    reused_from        uuid,
    log_lines          bigint       not null default 0,
    created_at         timestamptz  not null,
    updated_at         timestamptz  not null,
    version            bigint       not null default 0,
    unique (run_id, key)
);
create index pipeline_run_steps_leases on pipeline_run_steps (lease_expires_at) where status = 'running';
create index pipeline_run_steps_retries on pipeline_run_steps (next_attempt_at) where status = 'retrying';

create table pipeline_schedule_fires (
    id          uuid primary key,
    tenant_id   uuid        not null references tenants (id) on delete cascade,
    pipeline_id uuid        not null references pipelines (id) on delete cascade,
    fire_time   timestamptz not null,
    run_id      uuid,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    version     bigint      not null default 0,
    unique (pipeline_id, fire_time)
);

create table step_logs (
    id         uuid primary key,
    tenant_id  uuid        not null references tenants (id) on delete cascade,
    run_id     uuid        not null references pipeline_runs (id) on delete cascade,
    step_key   varchar(64) not null,
    line_no    bigint      not null,
    message    text        not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    version    bigint      not null default 0,
    unique (run_id, step_key, line_no)
);

-- Syncs are leased like pipeline steps: a replica that dies mid-sync leaves a lease that runs out, and another
-- replica's sweep ends the run as failed instead of leaving it running forever.
alter table connector_runs add column lease_owner varchar(100);
alter table connector_runs add column lease_expires_at timestamptz;
create index connector_runs_leases on connector_runs (lease_expires_at) where status = 'running';
