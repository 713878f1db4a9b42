#!/usr/bin/env bash
# Starts Parley exactly as the README says, on a fresh data directory, and checks the first-run
# path over real HTTP: health UP on the embedded database, first admin, login, and that the data
# survives a restart.
set -euo pipefail
cd "$(dirname "$0")/.."

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
log=$(mktemp)
base="http://127.0.0.1:$port"
pid=""

start() {
  PARLEY_PORT=$port PARLEY_DATA_DIR=$data setsid ./mvnw -q -B -o -pl parley-server -am spring-boot:run >>"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    if curl -fsS "$base/actuator/health" 2>/dev/null | grep -q '"UP"'; then return 0; fi
    sleep 1
  done
  echo "Parley did not become healthy; log follows" >&2
  cat "$log" >&2
  return 1
}

stop() {
  if [ -n "$pid" ]; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
  fi
}
trap 'stop; rm -rf "$data" "$log"' EXIT

json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

start
grep -q "database postgresql (embedded)" "$log" || { echo "start-up banner missing" >&2; exit 1; }
curl -fsS -o /dev/null "$base/v3/api-docs"

password='smoke test passphrase 42'
# The first administrator, with the one-time setup code the log printed (README quick start).
code=$(grep -o 'enter setup code [A-Z2-7-]*' "$log" | tail -1 | awk '{print $4}')
[ -n "$code" ] || { echo "no setup code in the log" >&2; exit 1; }
role=$(curl -fsS "$base/api/auth/setup" -H 'Content-Type: application/json' \
  -d "{\"setupCode\":\"$code\",\"email\":\"admin@example.com\",\"password\":\"$password\"}" | json_field "['role']")
[ "$role" = "ADMIN" ] || { echo "the set-up account is $role, not ADMIN" >&2; exit 1; }
token=$(curl -fsS "$base/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"admin@example.com\",\"password\":\"$password\"}" | json_field "['accessToken']")
curl -fsS "$base/api/auth/me" -H "Authorization: Bearer $token" | grep -q admin@example.com
status=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/agents")
[ "$status" = "401" ] || { echo "unauthenticated /api/agents answered $status" >&2; exit 1; }

stop
start
# The account and the signing secret survived the restart: the old token still works.
curl -fsS "$base/api/auth/me" -H "Authorization: Bearer $token" | grep -q admin@example.com
echo "smoke run passed on port $port"
