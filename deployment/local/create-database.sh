#!/usr/bin/env bash
# Creates a database on the local PostgreSQL if it does not exist yet. Usage: create-database.sh NAME
set -euo pipefail
name="$1"
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname = '$name'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc "create database \"$name\""
  echo "services: created database $name"
fi
