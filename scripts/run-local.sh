#!/usr/bin/env bash
# The README's first command: builds Vigil and runs the whole loop on this machine, on loopback:
# a password-protected Mosquitto, an nginx-rtmp relay (RTMP + HLS) that asks the bridge who may
# publish and play, the bridge, and the agent with the test-pattern pipeline. Prints the page, the
# demo credentials and the commands to start, watch and stop the stream. Ctrl-C stops everything.
#
#   scripts/run-local.sh            build, run, wait for Ctrl-C
#   scripts/run-local.sh --smoke    build, run, start the stream, read real frames, stop, exit
#   scripts/run-local.sh --no-build skip the Maven build (jars must exist)
#
# Ports (override with the variables): VIGIL_MQTT_PORT=1884, VIGIL_RTMP_PORT=1935,
# VIGIL_HLS_PORT=8080, BRIDGE_PORT=8000, VIGIL_CALLBACK_PORT=8001 (the bridge's listener for
# nginx-rtmp's HTTP/1.0 callbacks). Everything binds to 127.0.0.1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

smoke=false build=true
for arg in "$@"; do
    case "$arg" in
        --smoke) smoke=true ;;
        --no-build) build=false ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$arg' (try --help)" ;;
    esac
done

MQTT_PORT="${VIGIL_MQTT_PORT:-1884}"
RTMP_PORT="${VIGIL_RTMP_PORT:-1935}"
HLS_PORT="${VIGIL_HLS_PORT:-8080}"
HTTP_PORT="${BRIDGE_PORT:-8000}"
CALLBACK_PORT="${VIGIL_CALLBACK_PORT:-8001}"
RUN="$VIGIL_ROOT/.run/local"

install_deps
if $build || [ ! -f "$VIGIL_ROOT/agent/target/vigil-agent.jar" ] || [ ! -f "$VIGIL_ROOT/bridge/target/vigil-bridge.jar" ]; then
    log "building the jars (mvn package, tests skipped)"
    mvn_batch -q -DskipTests package
fi

for port in "$MQTT_PORT" "$RTMP_PORT" "$HLS_PORT" "$HTTP_PORT" "$CALLBACK_PORT"; do
    if ss -Hltn "sport = :$port" | grep -q .; then
        die "port $port is in use; stop what uses it or pick another port (see --help)"
    fi
done

rm -rf "$RUN" && mkdir -p "$RUN"/{nginx/logs,nginx/hls,nginx/tmp,mosquitto,logs}
chmod 700 "$RUN"

# Demo secrets, fresh on every run. They are printed once below for you, and never logged.
secret() { head -c 18 /dev/urandom | base64 | tr -d '/+=' | cut -c1-16; }
AGENT_MQTT_PASS="$(secret)"
BRIDGE_MQTT_PASS="$(secret)"
ROBOT_SECRET="$(secret)"
OPERATOR_PASS="$(secret)"
VIEWER_PASS="$(secret)"

log "starting Mosquitto on 127.0.0.1:$MQTT_PORT (password auth, per-user ACL)"
: > "$RUN/mosquitto/passwd"
chmod 600 "$RUN/mosquitto/passwd"
mosquitto_passwd -b "$RUN/mosquitto/passwd" robot "$AGENT_MQTT_PASS"
mosquitto_passwd -b "$RUN/mosquitto/passwd" bridge "$BRIDGE_MQTT_PASS"
cat > "$RUN/mosquitto/acl" <<EOF
user robot
topic read robot/stream
topic write robot/stream/state
topic write robot/stream/availability

user bridge
topic write robot/stream
topic write robots/+/stream
topic read robot/stream/#
topic read robots/+/stream/#
EOF
cat > "$RUN/mosquitto/mosquitto.conf" <<EOF
listener $MQTT_PORT 127.0.0.1
allow_anonymous false
password_file $RUN/mosquitto/passwd
acl_file $RUN/mosquitto/acl
persistence false
log_dest stdout
# Started as root, mosquitto would switch to its own user, which cannot read this private folder.
user $(id -un)
EOF
mosquitto -c "$RUN/mosquitto/mosquitto.conf" > "$RUN/logs/mosquitto.log" 2>&1 &
echo $! > "$RUN/mosquitto.pid"

log "starting the nginx-rtmp relay: RTMP 127.0.0.1:$RTMP_PORT, HLS http://127.0.0.1:$HLS_PORT/hls/live/"
cat > "$RUN/nginx/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
$([ "$(id -u)" -eq 0 ] && echo "user root;  # the workers write HLS into this private folder")
worker_processes 1;
pid $RUN/nginx/nginx.pid;
error_log $RUN/nginx/logs/error.log warn;
events { worker_connections 256; }
rtmp {
    server {
        listen 127.0.0.1:$RTMP_PORT;
        application live {
            live on;
            record off;
            # The bridge decides who may publish (the robot, only its own path) and play (viewers).
            # (nginx-rtmp calls over HTTP/1.0, which the bridge answers on its own small listener.)
            on_publish http://127.0.0.1:$CALLBACK_PORT/relay/nginx/on_publish;
            on_play http://127.0.0.1:$CALLBACK_PORT/relay/nginx/on_play;
            on_publish_done http://127.0.0.1:$CALLBACK_PORT/relay/nginx/on_publish_done;
            on_play_done http://127.0.0.1:$CALLBACK_PORT/relay/nginx/on_play_done;
            drop_idle_publisher 10s;
            hls on;
            hls_path $RUN/nginx/hls;
            hls_fragment 1s;
            hls_playlist_length 6s;
        }
    }
}
http {
    access_log $RUN/nginx/logs/access.log;
    client_body_temp_path $RUN/nginx/tmp/body;
    proxy_temp_path $RUN/nginx/tmp/proxy;
    fastcgi_temp_path $RUN/nginx/tmp/fastcgi;
    uwsgi_temp_path $RUN/nginx/tmp/uwsgi;
    scgi_temp_path $RUN/nginx/tmp/scgi;
    types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
    server {
        listen 127.0.0.1:$HLS_PORT;
        location /hls/live/ {
            alias $RUN/nginx/hls/;
            add_header Cache-Control no-cache;
            add_header Access-Control-Allow-Origin *;
        }
        location /stat { rtmp_stat all; }
    }
}
EOF
nginx -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" -g 'daemon off;' > "$RUN/logs/nginx.log" 2>&1 &
echo $! > "$RUN/nginx.pid"

hash_secret() {
    printf '%s' "$1" | "$JAVA_HOME/bin/java" -jar "$VIGIL_ROOT/bridge/target/vigil-bridge.jar" hash-password --password-stdin
}

log "writing the bridge's configuration (secrets stored hashed)"
cat > "$RUN/bridge.conf" <<EOF
vigil.bridge {
  server { host = "127.0.0.1", port = $HTTP_PORT }
  relay.nginx-port = $CALLBACK_PORT
  mqtt { broker = "127.0.0.1", port = $MQTT_PORT, user = "bridge", password = "$BRIDGE_MQTT_PASS" }
  auth.users {
    operator { role = operator, password-hash = "$(hash_secret "$OPERATOR_PASS")" }
    viewer { role = viewer, password-hash = "$(hash_secret "$VIEWER_PASS")" }
  }
  robots.default {
    base-topic = "robot/stream"
    relay-path = "live/stream"
    publish-user = "robot"
    publish-password-hash = "$(hash_secret "$ROBOT_SECRET")"
    publish-secret = "$ROBOT_SECRET"
  }
  viewer-urls {
    rtmp = "rtmp://127.0.0.1:$RTMP_PORT/{path}"
    hls = "http://127.0.0.1:$HLS_PORT/hls/{path}.m3u8"
  }
}
EOF
chmod 600 "$RUN/bridge.conf"

log "starting the bridge on http://127.0.0.1:$HTTP_PORT"
"$JAVA_HOME/bin/java" -Dconfig.file="$RUN/bridge.conf" -jar "$VIGIL_ROOT/bridge/target/vigil-bridge.jar" \
    > "$RUN/logs/bridge.log" 2>&1 &
echo $! > "$RUN/bridge.pid"

log "starting the agent (pipeline: testsrc, a moving test pattern)"
MQTT_BROKER=127.0.0.1 MQTT_PORT="$MQTT_PORT" MQTT_USER=robot MQTT_PASS="$AGENT_MQTT_PASS" MQTT_TOPIC=robot/stream \
MEDIA_SERVER="127.0.0.1:$RTMP_PORT" MEDIA_PUBLISH_USER=robot MEDIA_PUBLISH_PASS="$ROBOT_SECRET" \
AGENT_PIPELINE=testsrc AGENT_PIPELINES_DIR="$VIGIL_ROOT/pipelines" AGENT_PID_FILE="$RUN/gst.pid" ROBOT_ID=default \
    "$JAVA_HOME/bin/java" -jar "$VIGIL_ROOT/agent/target/vigil-agent.jar" > "$RUN/logs/agent.log" 2>&1 &
echo $! > "$RUN/agent.pid"

stop_all() {
    trap - EXIT INT TERM
    log "stopping: agent, bridge, relay, broker"
    local name pid
    for name in agent bridge nginx mosquitto; do
        pid="$(cat "$RUN/$name.pid" 2>/dev/null || true)"
        [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
}
trap stop_all EXIT
trap 'stop_all; exit 0' INT TERM

log "waiting for the bridge to be ready"
for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$HTTP_PORT/observe/health" >/dev/null 2>&1 && break
    kill -0 "$(cat "$RUN/bridge.pid")" 2>/dev/null || { tail -20 "$RUN/logs/bridge.log" >&2; die "the bridge exited"; }
    sleep 0.5
done
curl -fsS "http://127.0.0.1:$HTTP_PORT/observe/health" >/dev/null || { tail -20 "$RUN/logs/bridge.log" >&2; die "the bridge is not ready"; }

if $smoke; then
    log "smoke: POST /stream/start, read frames through the relay, POST /stream/stop"
    curl -fsS -u "operator:$OPERATOR_PASS" -X POST "http://127.0.0.1:$HTTP_PORT/robots/default/stream/start?wait=PT20S" >/dev/null \
        || { tail -30 "$RUN/logs/agent.log" >&2; die "the robot did not start streaming"; }
    frames="$(timeout 12 gst-launch-1.0 -v rtmpsrc "location=rtmp://127.0.0.1:$RTMP_PORT/live/stream?user=viewer&pass=$VIEWER_PASS live=1" \
        ! flvdemux name=d d.video ! h264parse ! avdec_h264 ! fakesink silent=false sync=false 2>&1 \
        | grep -c 'fakesink.*chain' || true)"
    curl -fsS -u "operator:$OPERATOR_PASS" -X POST "http://127.0.0.1:$HTTP_PORT/stream/stop" >/dev/null
    [ "${frames:-0}" -ge 30 ] || die "smoke: read ${frames:-0} frames through the relay, expected 30"
    log "smoke: read $frames video frames through the relay; stopped"
    curl -fsS "http://127.0.0.1:$HTTP_PORT/app/" | grep -q '<video' || die "smoke: the page at /app/ has no video element"
    log "smoke: the page is served at http://127.0.0.1:$HTTP_PORT/app/"
    exit 0
fi

cat <<EOF

  Vigil is running on this machine. Logs: $RUN/logs/

  Open the page:     http://127.0.0.1:$HTTP_PORT/app/
  Sign in as         operator / $OPERATOR_PASS   (start and stop)
                or   viewer   / $VIEWER_PASS   (watch)
  and press Go Live.

  Or over HTTP:
    curl -u operator:$OPERATOR_PASS -X POST http://127.0.0.1:$HTTP_PORT/stream/start
    curl -u operator:$OPERATOR_PASS http://127.0.0.1:$HTTP_PORT/robots/default
  and watch with any RTMP player (VLC, ffplay, GStreamer):
    gst-launch-1.0 playbin uri='rtmp://127.0.0.1:$RTMP_PORT/live/stream?user=viewer&pass=$VIEWER_PASS'
  (a player that opens that URL also starts the robot by itself), then
    curl -u operator:$OPERATOR_PASS -X POST http://127.0.0.1:$HTTP_PORT/stream/stop

  Press Ctrl-C to stop everything.
EOF
wait -n "$(cat "$RUN/agent.pid")" "$(cat "$RUN/bridge.pid")" "$(cat "$RUN/nginx.pid")" "$(cat "$RUN/mosquitto.pid")" || true
log "a component exited; see $RUN/logs/"
