#!/usr/bin/env bash
# Runs the server in the foreground in dev mode on this machine's PostgreSQL and Redis, with the demo tenant
# 'acme' seeded. The API answers on https://acme.localhost:8443/api/v1 (self-signed certificate); health and
# metrics on http://localhost:9000/q/health and /q/metrics. Dev-only keys are generated once under .dev/.
set -euo pipefail
cd "$(dirname "$0")/../.."

deployment/local/services.sh
deployment/local/create-database.sh rime

dev=.dev
mkdir -p "$dev"
if [ ! -f "$dev/tls.p12" ]; then
  echo "run: generating a self-signed TLS certificate for localhost and *.localhost ($dev/tls.p12)"
  keytool -genkeypair -alias rime -keyalg EC -groupname secp256r1 -validity 825 -dname "CN=localhost" \
    -ext "SAN=dns:localhost,dns:*.localhost,ip:127.0.0.1" -storetype PKCS12 -keystore "$dev/tls.p12" \
    -storepass changeit >/dev/null 2>&1
fi
if [ ! -f "$dev/jwt-signing.pem" ]; then
  echo "run: generating a development token signing key ($dev/jwt-signing.pem)"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dev/jwt-signing.pem" 2>/dev/null
  openssl pkey -in "$dev/jwt-signing.pem" -pubout -out "$dev/jwt-verify.pem"
fi
[ -f "$dev/cursor.key" ] || openssl rand -base64 32 > "$dev/cursor.key"
[ -f "$dev/secret.key" ] || openssl rand -base64 32 > "$dev/secret.key"

export QUARKUS_HTTP_SSL_CERTIFICATE_KEY_STORE_FILE="$PWD/$dev/tls.p12"
export QUARKUS_HTTP_SSL_CERTIFICATE_KEY_STORE_PASSWORD=changeit
export SMALLRYE_JWT_SIGN_KEY_LOCATION="$PWD/$dev/jwt-signing.pem"
export MP_JWT_VERIFY_PUBLICKEY_LOCATION="$PWD/$dev/jwt-verify.pem"
export RIME_CURSOR_KEY="$(cat "$dev/cursor.key")"
export RIME_SECRET_KEYS="k1:$(cat "$dev/secret.key")"
export RIME_PLATFORM_OPERATOR_TOKEN="${RIME_PLATFORM_OPERATOR_TOKEN:-dev-operator-token-for-local-development}"
export RIME_DEMO_PASSWORD="${RIME_DEMO_PASSWORD:-rime-demo-password}"

exec ./mvnw -B -q quarkus:dev -Dquarkus.analytics.disabled=true "$@"
