#!/usr/bin/env bash
# Benchmarks the bridge's POST /stream/start with wrk against a real mosquitto, all on this machine.
# Usage: bench/bridge/run.sh [duration, default 20s]
# Env: JAVA_HOME (JDK >= 21), VIGIL_ACCESS_LOG_LEVEL (INFO logs every request; default WARN here).
# Needs bridge/target/vigil-bridge.jar (mvn -B -pl bridge package -DskipTests) and wrk, mosquitto.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
duration="${1:-20s}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="$repo/bridge/target/vigil-bridge.jar"
work="$(mktemp -d)"
pids=()

cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

[ -f "$jar" ] || { echo "missing $jar: run mvn -B -pl bridge package -DskipTests" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }

mqtt_port="$(free_port)"
http_port="$(free_port)"
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$mqtt_port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
pids+=($!)

token_lines="$("$java" -jar "$jar" new-token)"
token="$(awk '/^token:/{print $2}' <<<"$token_lines")"
hash="$(awk '/^hash:/{print $2}' <<<"$token_lines")"
printf 'vigil.bridge.auth.tokens.bench { hash = "%s", role = operator }\n' "$hash" > "$work/bridge.conf"

VIGIL_ACCESS_LOG_LEVEL="${VIGIL_ACCESS_LOG_LEVEL:-WARN}" MQTT_BROKER=127.0.0.1 MQTT_PORT="$mqtt_port" \
    BRIDGE_HOST=127.0.0.1 BRIDGE_PORT="$http_port" \
    "$java" -Dconfig.file="$work/bridge.conf" -jar "$jar" > "$work/bridge.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$http_port/observe/health/ready" > /dev/null && break
    sleep 0.2
done
curl -sf "http://127.0.0.1:$http_port/observe/health/ready" > /dev/null || { cat "$work/bridge.log" >&2; exit 1; }

url="http://127.0.0.1:$http_port/stream/start"
export VIGIL_TOKEN="$token"
echo "warm-up (10s, 16 connections)"
wrk -t2 -c16 -d10s -s "$here/post.lua" "$url" > /dev/null
for conns in 16 64; do
    echo "== $conns connections, $duration =="
    wrk -t2 -c"$conns" -d"$duration" --latency -s "$here/post.lua" "$url" | tee "$work/wrk-$conns.txt" | grep -E 'RESULT|Requests/sec|Non-2xx'
done
echo "publish failures reported by the bridge:"
curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$http_port/observe/metrics" | grep -E '^vigil_bridge_(publishes|publish_failures)_total'
