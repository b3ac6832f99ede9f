#!/usr/bin/env bash
# Sourced by the benchmark scripts: a fresh tenant, its admin's token and one project on the benchmark server.
# Expects port, address, operator_token, results and die() from the caller; sets subdomain, tenant_host, token,
# project_id and the api() curl wrapper. Usage: bench_fixture PROJECT_NAME

bench_fixture() {
  local project_name="$1" status
  subdomain="bench$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
  tenant_host="$subdomain.localhost:$port"

  status=$(api -o "$results/tenant.json" -w '%{http_code}' -X POST "https://localhost:$port/api/v1/platform/tenants" \
    -H "Host: localhost:$port" -H "Authorization: Bearer $operator_token" -H 'Content-Type: application/json' \
    -d "{\"subdomain\":\"$subdomain\",\"name\":\"Bench\",\"tier\":\"business_critical\",\"admin\":{\"email\":\"admin@bench.test\",\"first_name\":\"B\",\"last_name\":\"B\",\"password\":\"bench-password-123\"}}") \
    || die "creating tenant $subdomain failed (curl exit $?)"
  [ "$status" = 201 ] || die "creating tenant $subdomain answered $status: $(cat "$results/tenant.json")"

  status=$(api -o "$results/login.json" -w '%{http_code}' -X POST "https://$tenant_host/api/v1/auth/login" \
    -H 'Content-Type: application/json' -d '{"email":"admin@bench.test","password":"bench-password-123"}') \
    || die "login failed (curl exit $?)"
  [ "$status" = 200 ] || die "login answered $status: $(cat "$results/login.json")"
  token=$(jq -r '.access_token // empty' "$results/login.json")
  [ -n "$token" ] || die "login response has no access_token"
  rm -f "$results/login.json"  # holds a live token

  status=$(api -o "$results/project.json" -w '%{http_code}' -X POST "https://$tenant_host/api/v1/projects" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "{\"name\":\"$project_name\"}") \
    || die "creating the project failed (curl exit $?)"
  [ "$status" = 201 ] || die "creating the project answered $status: $(cat "$results/project.json")"
  project_id=$(jq -r '.id // empty' "$results/project.json")
  [ -n "$project_id" ] || die "project response has no id"
}

# -k: the benchmark server's certificate is self-signed. --resolve pins every name to the loopback address.
# -S keeps curl's own error message, so a refused connection or timeout is reported rather than a bare exit code.
api() {
  curl -sSk --max-time 30 --resolve "localhost:$port:$address" --resolve "$subdomain.localhost:$port:$address" "$@"
}
