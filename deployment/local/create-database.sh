#!/usr/bin/env bash
# Creates a database on the local PostgreSQL if it does not exist yet, owned by the migration role rime_owner (the
# roles come from roles.sql, applied here too). A database made before the roles existed is handed over to rime_owner
# with everything in its public schema. Usage: create-database.sh NAME
set -euo pipefail
name="$1"
case "$name" in ''|*[!a-z0-9_]*) echo "create-database: NAME must be lower-case letters, digits and _" >&2; exit 1 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
psql -h 127.0.0.1 -U postgres -d postgres -q -v ON_ERROR_STOP=1 -f "$here/roles.sql" 2>&1 | grep -v NOTICE || true
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname = '$name'" | grep -q 1; then
  # A concurrent run may create it first; that is as good.
  if psql -h 127.0.0.1 -U postgres -d postgres -qc "create database \"$name\" owner rime_owner" 2>/dev/null; then
    echo "services: created database $name"
  fi
fi
owner=$(psql -h 127.0.0.1 -U postgres -d postgres -tAc \
  "select pg_get_userbyid(datdba) from pg_database where datname = '$name'")
if [ "$owner" != rime_owner ]; then
  echo "services: handing database $name (owned by $owner) and its public schema over to rime_owner"
  psql -h 127.0.0.1 -U postgres -d "$name" -q -v ON_ERROR_STOP=1 -v db="$name" <<'SQL'
alter database :"db" owner to rime_owner;
do $$
declare
    r record;
begin
    for r in select c.oid::regclass as object, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'public' and c.relkind in ('r', 'p', 'S', 'v', 'm') loop
        execute format('alter %s %s owner to rime_owner',
            case r.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view' else 'table' end,
            r.object);
    end loop;
    for r in select p.oid::regprocedure as object from pg_proc p join pg_namespace n on n.oid = p.pronamespace
             where n.nspname = 'public' loop
        execute format('alter function %s owner to rime_owner', r.object);
    end loop;
end
$$;
SQL
fi
