-- Row-level security: PostgreSQL's own wall between tenants, behind TenantScopedRepository.
--
-- The server sets two settings on every connection it borrows (platform/persistence/ScopedPool):
--   rime.tenant  the tenant the session acts for ('' for none)
--   rime.scope   'platform' only for the few deliberately cross-tenant code paths (README, "Security model")
-- A tenant-owned row is visible and writable only when its tenant_id equals rime.tenant, or in the platform scope.
-- A query that forgets its tenant therefore returns nothing, and cannot write a row of another tenant.
--
-- PATTERN FOR LATER MIGRATIONS. Every table with a tenant_id column gets the policy, in the migration that creates it:
--
--     create table widgets (id uuid primary key, tenant_id uuid not null references tenants (id) on delete cascade, ...);
--     select rime_isolate_tenant_table('widgets');
--
-- RowLevelSecurityTest fails the build when a table with tenant_id lacks it. Grants need nothing: the default
-- privileges below give the application role select/insert/update/delete on every table the migration role creates.
-- The tables FORCE row level security, so their owner is filtered too: a data migration that reads or changes tenant
-- rows first runs  select set_config('rime.scope', 'platform', true);  (transaction-local, as Flyway runs each
-- migration in its own transaction).
--
-- Roles (created outside migrations, since roles are cluster-wide; deployment/local/roles.sql does it locally):
-- migrations run as the owner role (quarkus.flyway.username), the server as ${app_role} (quarkus.datasource.username),
-- which owns nothing, holds only the grants below, and is neither superuser nor BYPASSRLS.

create function rime_current_tenant() returns uuid
    language sql stable parallel safe
    as $$ select nullif(current_setting('rime.tenant', true), '')::uuid $$;

create function rime_platform_scope() returns boolean
    language sql stable parallel safe
    as $$ select coalesce(current_setting('rime.scope', true), '') = 'platform' $$;

create function rime_isolate_tenant_table(target regclass) returns void
    language plpgsql
    as $$
begin
    execute format('alter table %s enable row level security', target);
    execute format('alter table %s force row level security', target);
    execute format('drop policy if exists tenant_isolation on %s', target);
    execute format('create policy tenant_isolation on %s'
        ' using (tenant_id = rime_current_tenant() or rime_platform_scope())'
        ' with check (tenant_id = rime_current_tenant() or rime_platform_scope())', target);
end
$$;
revoke all on function rime_isolate_tenant_table(regclass) from public;

select rime_isolate_tenant_table('users');
select rime_isolate_tenant_table('auth_sessions');
select rime_isolate_tenant_table('refresh_tokens');
select rime_isolate_tenant_table('projects');
select rime_isolate_tenant_table('api_keys');
select rime_isolate_tenant_table('connectors');
select rime_isolate_tenant_table('connector_schemas');
select rime_isolate_tenant_table('connector_runs');
select rime_isolate_tenant_table('run_events');
select rime_isolate_tenant_table('audit_outbox');
select rime_isolate_tenant_table('audit_events');
select rime_isolate_tenant_table('schedule_fires');
select rime_isolate_tenant_table('runners');
select rime_isolate_tenant_table('runner_jobs');
select rime_isolate_tenant_table('pipelines');
select rime_isolate_tenant_table('pipeline_versions');
select rime_isolate_tenant_table('pipeline_runs');
select rime_isolate_tenant_table('pipeline_run_steps');
select rime_isolate_tenant_table('pipeline_schedule_fires');
select rime_isolate_tenant_table('step_logs');

-- The application role: data access on the platform's tables (now and, through default privileges, on every table
-- later migrations create), never on Flyway's history, no DDL (it owns nothing and may not create in the schema).
-- Skipped when the server and the migrations share one role (a development shortcut: that role owns the tables).
do $$
declare
    app text := '${app_role}';
begin
    if app = current_user then
        raise notice 'the application role % runs migrations too; no grants needed', app;
        return;
    end if;
    execute format('grant usage on schema %I to %I', current_schema(), app);
    execute format('grant select, insert, update, delete on all tables in schema %I to %I', current_schema(), app);
    execute format('grant usage, select on all sequences in schema %I to %I', current_schema(), app);
    execute format('revoke all on table %I from %I', '${flyway:table}', app);
    execute format('alter default privileges in schema %I grant select, insert, update, delete on tables to %I',
        current_schema(), app);
    execute format('alter default privileges in schema %I grant usage, select on sequences to %I', current_schema(), app);
end
$$;
