-- The platform's two database roles on a local PostgreSQL (cluster-wide, so shared by every database and every
-- parallel test run on the machine). Idempotent and safe to run concurrently: a role another session created
-- meanwhile is not an error. Run as a superuser: psql -v ON_ERROR_STOP=1 -f deployment/local/roles.sql
--   rime_owner  owns the schema objects; Flyway's migrations run as it at start-up
--   rime_app    what the server's reactive pool connects as: data access only (grants in migration V11)
-- Neither is superuser, may create roles or databases, bypasses row-level security or belongs to pg_read_server_files
-- or any other predefined role. The passwords are for local development only (loopback connections are trusted
-- here anyway); production roles get theirs from the deployment's secrets.
do $$
declare
    wanted text[][] := array[['rime_owner', 'rime-owner-local'], ['rime_app', 'rime-app-local']];
    i int;
begin
    for i in 1 .. array_length(wanted, 1) loop
        begin
            execute format('create role %I login nosuperuser nocreatedb nocreaterole noreplication nobypassrls'
                ' password %L', wanted[i][1], wanted[i][2]);
        exception when duplicate_object or unique_violation then
            null; -- created earlier, or by a concurrent run a moment ago
        end;
        -- Only a role someone changed by hand is altered (concurrent ALTER ROLEs on one role can clash).
        if exists (select 1 from pg_roles where rolname = wanted[i][1] and (rolsuper or rolcreatedb or rolcreaterole
                   or rolreplication or rolbypassrls or not rolcanlogin)) then
            execute format('alter role %I login nosuperuser nocreatedb nocreaterole noreplication nobypassrls',
                wanted[i][1]);
        end if;
    end loop;
end
$$;
