#!/usr/bin/env bash
# The README's first command: builds Vigil and runs the whole loop on this machine, on loopback:
# a password-protected Mosquitto, the MediaMTX relay (RTSP, RTMP, HLS, WebRTC) that asks the bridge
# about every publish and read, the bridge, and the agent with the test-pattern pipeline. A player
# that opens the RTSP URL of the idle robot starts it (MediaMTX runOnDemand runs the bridge's hook),
# and the robot stops after the last player leaves. Prints the page, fresh demo credentials, the
# HTTP calls and a player command. Ctrl-C stops everything.
#
#   scripts/run-local.sh            build, run, wait for Ctrl-C
#   scripts/run-local.sh --smoke    build, run, start the stream over HTTP, read real frames over
#                                   RTSP, take a snapshot, record a clip, stop, check the page, exit
#   scripts/run-local.sh --no-build skip the Maven build (the jars must exist)
#
# Ports (override with the variables; everything binds to 127.0.0.1):
#   BRIDGE_PORT=8000            the bridge: page, API, relay auth (TCP)
#   VIGIL_MQTT_PORT=1884        Mosquitto (TCP)
#   VIGIL_RTSP_PORT=8554        MediaMTX RTSP (TCP)
#   VIGIL_RTP_PORT=8000         MediaMTX RTSP over UDP: RTP on this even port, RTCP on the next (UDP)
#   VIGIL_RTMP_PORT=1935        MediaMTX RTMP; the robot publishes here (TCP)
#   VIGIL_HLS_PORT=8888         MediaMTX HLS (TCP)
#   VIGIL_WEBRTC_PORT=8889      MediaMTX WebRTC, WHEP and its player page (TCP)
#   VIGIL_WEBRTC_UDP_PORT=8189  MediaMTX WebRTC media (UDP)
#   VIGIL_SRT_PORT=8890         MediaMTX SRT, on only with an *-srt pipeline (UDP)
#   VIGIL_MTX_API_PORT=9997     MediaMTX's control API, for the bridge alone (TCP): an operator's
#                               stop disconnects the robot's players through it
#   VIGIL_PLAYBACK_PORT=9996    MediaMTX playback server; the bridge serves recorded clips from it (TCP)
# Other variables: VIGIL_MEDIAMTX (the mediamtx binary; else the pinned release is downloaded),
#   VIGIL_LOCAL_DIR (working folder, default .run/local; it is emptied on start),
#   VIGIL_AGENT_PIPELINE (testsrc-rtsp, the default: RTSP, the relay's quickest ingest; testsrc: RTMP
#   as the original script published; testsrc-srt), VIGIL_PIPELINES_DIR (default
#   pipelines/), VIGIL_MEDIAMTX_LOG_LEVEL (info; debug for timelines); bench/relay uses these.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

smoke=false build=true
for arg in "$@"; do
    case "$arg" in
        --smoke) smoke=true ;;
        --no-build) build=false ;;
        # The comment block at the top of this file, without its leading '#'.
        -h|--help) awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; exit 0 ;;
        *) die "unknown option '$arg' (try --help)" ;;
    esac
done

HTTP_PORT="${BRIDGE_PORT:-8000}"
MQTT_PORT="${VIGIL_MQTT_PORT:-1884}"
RTSP_PORT="${VIGIL_RTSP_PORT:-8554}"
RTP_PORT="${VIGIL_RTP_PORT:-8000}"
RTMP_PORT="${VIGIL_RTMP_PORT:-1935}"
HLS_PORT="${VIGIL_HLS_PORT:-8888}"
WEBRTC_PORT="${VIGIL_WEBRTC_PORT:-8889}"
WEBRTC_UDP_PORT="${VIGIL_WEBRTC_UDP_PORT:-8189}"
SRT_PORT="${VIGIL_SRT_PORT:-8890}"
API_PORT="${VIGIL_MTX_API_PORT:-9997}"
PLAYBACK_PORT="${VIGIL_PLAYBACK_PORT:-9996}"
PIPELINE="${VIGIL_AGENT_PIPELINE:-testsrc-rtsp}"
PIPELINES_DIR="${VIGIL_PIPELINES_DIR:-$VIGIL_ROOT/pipelines}"
MTX_LOG_LEVEL="${VIGIL_MEDIAMTX_LOG_LEVEL:-info}"
[ -f "$PIPELINES_DIR/$PIPELINE.pipeline" ] || die "no pipeline $PIPELINES_DIR/$PIPELINE.pipeline (VIGIL_AGENT_PIPELINE)"
# The publish URL that each kind of template needs (see agent/src/main/resources/reference.conf).
srt=no
case "$PIPELINE" in
    *-srt) srt=yes; MEDIA_SERVER="127.0.0.1:$SRT_PORT" PUBLISH_PROTO=SRT
        MEDIA_URL_TEMPLATE='srt://{server}?streamid=publish:{path}:{user}:{pass}' ;;
    *-rtsp) MEDIA_SERVER="127.0.0.1:$RTSP_PORT" PUBLISH_PROTO=RTSP
        MEDIA_URL_TEMPLATE='rtsp://{user}:{pass}@{server}/{path}' ;;
    *) MEDIA_SERVER="127.0.0.1:$RTMP_PORT" PUBLISH_PROTO=RTMP
        MEDIA_URL_TEMPLATE='rtmp://{server}/{path}?user={user}&pass={pass}' ;;
esac
RUN="${VIGIL_LOCAL_DIR:-$VIGIL_ROOT/.run/local}"
HOOK="$VIGIL_ROOT/bridge/hooks/vigil-on-demand"

for var in BRIDGE_PORT VIGIL_MQTT_PORT VIGIL_RTSP_PORT VIGIL_RTP_PORT VIGIL_RTMP_PORT VIGIL_HLS_PORT \
        VIGIL_WEBRTC_PORT VIGIL_WEBRTC_UDP_PORT VIGIL_SRT_PORT VIGIL_MTX_API_PORT VIGIL_PLAYBACK_PORT; do
    value="${!var:-}"
    [ -z "$value" ] || [[ "$value" =~ ^[0-9]+$ && "$value" -ge 1 && "$value" -le 65535 ]] \
        || die "$var=$value is not a port number"
done
[ $((RTP_PORT % 2)) -eq 0 ] && [ "$RTP_PORT" -lt 65535 ] \
    || die "VIGIL_RTP_PORT=$RTP_PORT must be even (RTCP uses the next port)"
[[ "$HOOK$RUN" != *[[:space:]\'\"]* ]] || die "the checkout path or VIGIL_LOCAL_DIR contains a space or a quote; MediaMTX cannot run the hook from there"

install_deps
# One clear line for a port in use: TCP listeners, then UDP sockets.
port_in_use() { # proto(t|u) port
    ss -Hln"$1" "sport = :$2" | grep -q .
}
for spec in "t $HTTP_PORT BRIDGE_PORT bridge" "t $MQTT_PORT VIGIL_MQTT_PORT Mosquitto" \
        "t $RTSP_PORT VIGIL_RTSP_PORT RTSP" "t $RTMP_PORT VIGIL_RTMP_PORT RTMP" "t $HLS_PORT VIGIL_HLS_PORT HLS" \
        "t $WEBRTC_PORT VIGIL_WEBRTC_PORT WebRTC" "u $RTP_PORT VIGIL_RTP_PORT RTP" \
        "u $((RTP_PORT + 1)) VIGIL_RTP_PORT RTCP" "u $WEBRTC_UDP_PORT VIGIL_WEBRTC_UDP_PORT WebRTC-media" \
        "u $SRT_PORT VIGIL_SRT_PORT SRT" "t $API_PORT VIGIL_MTX_API_PORT MediaMTX-API" \
        "t $PLAYBACK_PORT VIGIL_PLAYBACK_PORT playback"; do
    read -r proto port var what <<<"$spec"
    if port_in_use "$proto" "$port"; then
        die "port $port ($what, $([ "$proto" = t ] && echo TCP || echo UDP)) is in use; stop what uses it or set $var to another port (see --help)"
    fi
done

if $build || [ ! -f "$VIGIL_ROOT/agent/target/vigil-agent.jar" ] || [ ! -f "$VIGIL_ROOT/bridge/target/vigil-bridge.jar" ]; then
    log "building the jars (mvn package, tests skipped)"
    mvn_batch -q -DskipTests package
fi
BRIDGE_JAR="$VIGIL_ROOT/bridge/target/vigil-bridge.jar"
AGENT_JAR="$VIGIL_ROOT/agent/target/vigil-agent.jar"

rm -rf "$RUN" && mkdir -p "$RUN"/{mediamtx,mosquitto,logs,recordings,snapshots}
chmod 700 "$RUN"

# Demo secrets, fresh on every run. They are printed once below for you, and never logged.
secret() { head -c 18 /dev/urandom | base64 | tr -d '/+=' | cut -c1-16; }
AGENT_MQTT_PASS="$(secret)"
BRIDGE_MQTT_PASS="$(secret)"
ROBOT_SECRET="$(secret)"
OPERATOR_PASS="$(secret)"
VIEWER_PASS="$(secret)"
RELAY_API_PASS="$(secret)"

stop_all() {
    trap - EXIT INT TERM
    log "stopping: relay, agent, bridge, broker"
    local name pid hooks="" hook
    # The relay first: it ends its on-demand hook, which releases its view lease on the bridge.
    for name in mediamtx agent bridge mosquitto; do
        pid="$(cat "$RUN/$name.pid" 2>/dev/null || true)"
        [ -n "$pid" ] || continue
        # MediaMTX runs each hook in a process group of its own, which it ends itself; should MediaMTX
        # hang on its way out (seen after a reader was left waiting) and need SIGKILL, they are ended here.
        [ "$name" = mediamtx ] && hooks="$(pgrep -P "$pid" || true)"
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        for hook in $hooks; do
            kill -TERM -- "-$hook" 2>/dev/null || true
        done
        hooks=""
    done
}
trap stop_all EXIT
trap 'stop_all; exit 0' INT TERM

log "starting Mosquitto on 127.0.0.1:$MQTT_PORT (password auth, per-user ACL)"
: > "$RUN/mosquitto/passwd"
chmod 600 "$RUN/mosquitto/passwd"
mosquitto_passwd -b "$RUN/mosquitto/passwd" robot "$AGENT_MQTT_PASS"
mosquitto_passwd -b "$RUN/mosquitto/passwd" bridge "$BRIDGE_MQTT_PASS"
cat > "$RUN/mosquitto/acl" <<EOF
user robot
topic read robot/stream
topic read robot/stream/control
topic write robot/stream/state
topic write robot/stream/availability
topic write robot/stream/event
topic write robot/stream/snapshot

user bridge
topic write robot/stream
topic write robots/+/stream
topic write robot/stream/control
topic write robots/+/stream/control
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
# Every part gets a session of its own: Ctrl-C reaches only this script, which stops the parts in
# order (the broker last, so the agent can say "offline"), and no part dies of the Ctrl-C itself.
setsid mosquitto -c "$RUN/mosquitto/mosquitto.conf" > "$RUN/logs/mosquitto.log" 2>&1 &
echo $! > "$RUN/mosquitto.pid"

hash_secret() {
    printf '%s' "$1" | "$JAVA_HOME/bin/java" -jar "$BRIDGE_JAR" hash-password --password-stdin
}
# The relay's on-demand hook calls the bridge with a viewer token, kept in a 0600 file.
token_out="$("$JAVA_HOME/bin/java" -jar "$BRIDGE_JAR" new-token)"
(umask 077 && sed -n 's/^token: //p' <<<"$token_out" > "$RUN/bridge-token")
HOOK_TOKEN_HASH="$(sed -n 's/^hash: *//p' <<<"$token_out")"
unset token_out
[ -s "$RUN/bridge-token" ] && [ -n "$HOOK_TOKEN_HASH" ] || die "the bridge's new-token printed no token"

log "writing the bridge's configuration (secrets stored hashed)"
(umask 077 && cat > "$RUN/bridge.conf" <<EOF
vigil.bridge {
  server { host = "127.0.0.1", port = $HTTP_PORT }
  mqtt { broker = "127.0.0.1", port = $MQTT_PORT, user = "bridge", password = "$BRIDGE_MQTT_PASS" }
  auth.users {
    operator { role = operator, password-hash = "$(hash_secret "$OPERATOR_PASS")" }
    viewer { role = viewer, password-hash = "$(hash_secret "$VIEWER_PASS")" }
  }
  # The relay's runOnDemand hook (bridge/hooks/vigil-on-demand) holds view leases with this token,
  # one per robot that players watch.
  auth.tokens {
    mediamtx-hook { role = viewer, hash = "$HOOK_TOKEN_HASH", max-views = 100 }
  }
  robots.default {
    base-topic = "robot/stream"
    relay-path = "live/stream"
    publish-user = "robot"
    publish-password-hash = "$(hash_secret "$ROBOT_SECRET")"
    publish-secret = "$ROBOT_SECRET"
  }
  # The registry (robots, users, tokens added with `vigil-bridge robot add ...` while it runs).
  database.sqlite-file = "$RUN/bridge.db"
  # What `robot add` gives a new robot's agent: publish over RTSP to this relay.
  relays.default.publish-url = "rtsp://{user}:{pass}@127.0.0.1:$RTSP_PORT/{path}"
  # MediaMTX's runOnAvailable/runOnUnavailable hooks say when it has the robot's stream, so
  # POST .../stream/start?wait= answers the moment a player can open it.
  relay.reports-availability = true
  # MediaMTX's control API: an operator's stop disconnects the robot's players through it.
  relay.api { url = "http://127.0.0.1:$API_PORT", user = "vigil-bridge", password = "$RELAY_API_PASS" }
  # Recording on request: the bridge switches MediaMTX's recording through its API (relay.api) and
  # serves the clips from its playback server; MediaMTX asks /relay/auth about both.
  recording {
    enabled = true
    relay-playback = "http://127.0.0.1:$PLAYBACK_PORT"
    max-duration = 10m
    disk-path = "$RUN/recordings"
  }
  viewer-urls {
    rtsp = "rtsp://127.0.0.1:$RTSP_PORT/{path}"
    hls = "http://127.0.0.1:$HLS_PORT/{path}/index.m3u8"
    webrtc = "http://127.0.0.1:$WEBRTC_PORT/{path}"
    rtmp = "rtmp://127.0.0.1:$RTMP_PORT/{path}"
  }
}
EOF
)

log "starting the bridge on http://127.0.0.1:$HTTP_PORT"
setsid "$JAVA_HOME/bin/java" -Dconfig.file="$RUN/bridge.conf" -jar "$BRIDGE_JAR" > "$RUN/logs/bridge.log" 2>&1 &
echo $! > "$RUN/bridge.pid"

log "starting MediaMTX: RTSP 127.0.0.1:$RTSP_PORT, RTMP :$RTMP_PORT, HLS :$HLS_PORT, WebRTC :$WEBRTC_PORT"
cat > "$RUN/mediamtx/mediamtx.yml" <<EOF
# MediaMTX $MEDIAMTX_VERSION for scripts/run-local.sh; every setting not written here keeps its default.
logLevel: $MTX_LOG_LEVEL
logDestinations: [stdout]

# The bridge decides every publish and read (a robot only its own path, a reader needs a viewer's
# credentials). Nothing is excluded: the bridge is asked about the API too, and allows only its own
# credential (or an operator); metrics and pprof are off.
authMethod: http
authHTTPAddress: http://127.0.0.1:$HTTP_PORT/relay/auth
authHTTPExclude: []

# The control API (an operator's stop disconnects players; the bridge switches recording with it)
# and the playback server (the bridge serves clips from it); the bridge answers MediaMTX's auth
# questions about both.
api: yes
apiAddress: 127.0.0.1:$API_PORT
metrics: no
pprof: no
playback: yes
playbackAddress: 127.0.0.1:$PLAYBACK_PORT

rtsp: yes
rtspTransports: [udp, tcp]
rtspAddress: 127.0.0.1:$RTSP_PORT
rtpAddress: 127.0.0.1:$RTP_PORT
rtcpAddress: 127.0.0.1:$((RTP_PORT + 1))
rtmp: yes
rtmpAddress: 127.0.0.1:$RTMP_PORT
hls: yes
hlsAddress: 127.0.0.1:$HLS_PORT
webrtc: yes
webrtcAddress: 127.0.0.1:$WEBRTC_PORT
webrtcLocalUDPAddress: 127.0.0.1:$WEBRTC_UDP_PORT
# Offer the loopback address only: the browser runs on this machine.
webrtcIPsFromInterfaces: no
webrtcAdditionalHosts: [127.0.0.1]
# SRT only for an *-srt pipeline. MoQ (on by default since 1.20) would listen on every interface and
# write a self-signed auto.crt/auto.key into the current folder.
srt: $srt
srtAddress: 127.0.0.1:$SRT_PORT
moq: no

pathDefaults:
  # Recorded only while an operator asks (the bridge switches record on and off); kept for an hour.
  record: no
  recordPath: $RUN/recordings/%path/%Y-%m-%d_%H-%M-%S-%f
  recordDeleteAfter: 1h
  # The moment the relay has a robot's stream, and when it has it no more, told to the bridge.
  runOnAvailable: curl -fsS -X POST -d path=\$MTX_PATH http://127.0.0.1:$HTTP_PORT/relay/available
  runOnUnavailable: curl -fsS -X POST -d path=\$MTX_PATH http://127.0.0.1:$HTTP_PORT/relay/unavailable

paths:
  # A reader of the idle robot runs the hook, which holds a view lease on the bridge, so the robot
  # streams. MediaMTX holds the reader until the robot publishes; after the last reader has gone,
  # it stops the hook, the lease is released and the bridge stops the robot after its linger.
  live/stream:
    source: publisher
    runOnDemand: $HOOK
    runOnDemandRestart: yes
    runOnDemandStartTimeout: 20s
    runOnDemandCloseAfter: 2s
EOF
VIGIL_BRIDGE_URL="http://127.0.0.1:$HTTP_PORT" VIGIL_BRIDGE_TOKEN_FILE="$RUN/bridge-token" VIGIL_ROBOT=default \
    setsid "$VIGIL_MEDIAMTX" "$RUN/mediamtx/mediamtx.yml" > "$RUN/logs/mediamtx.log" 2>&1 &
echo $! > "$RUN/mediamtx.pid"

log "starting the agent (pipeline: $PIPELINE, a moving test pattern, published over $PUBLISH_PROTO)"
# Token mode: the publish URL (which anyone may read in ps) carries a short-lived token made from the
# robot's secret, not the secret itself; the bridge checks it with the robot's publish-secret.
MEDIA_TOKEN_AUTH=true \
MQTT_BROKER=127.0.0.1 MQTT_PORT="$MQTT_PORT" MQTT_USER=robot MQTT_PASS="$AGENT_MQTT_PASS" MQTT_TOPIC=robot/stream \
MEDIA_SERVER="$MEDIA_SERVER" MEDIA_URL_TEMPLATE="$MEDIA_URL_TEMPLATE" MEDIA_PUBLISH_USER=robot MEDIA_PUBLISH_PASS="$ROBOT_SECRET" \
AGENT_PIPELINE="$PIPELINE" AGENT_PIPELINES_DIR="$PIPELINES_DIR" AGENT_PID_FILE="$RUN/gst.pid" ROBOT_ID=default \
AGENT_HOLD_FILE="$RUN/hold.json" AGENT_SNAPSHOT_DIR="$RUN/snapshots" \
    setsid "$JAVA_HOME/bin/java" -jar "$AGENT_JAR" > "$RUN/logs/agent.log" 2>&1 &
echo $! > "$RUN/agent.pid"

log "waiting for the bridge and the relay to be ready"
for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$HTTP_PORT/observe/health" >/dev/null 2>&1 && port_in_use t "$RTSP_PORT" && break
    kill -0 "$(cat "$RUN/bridge.pid")" 2>/dev/null || { tail -20 "$RUN/logs/bridge.log" >&2; die "the bridge exited"; }
    kill -0 "$(cat "$RUN/mediamtx.pid")" 2>/dev/null || { tail -20 "$RUN/logs/mediamtx.log" >&2; die "MediaMTX exited"; }
    sleep 0.5
done
curl -fsS "http://127.0.0.1:$HTTP_PORT/observe/health" >/dev/null || { tail -20 "$RUN/logs/bridge.log" >&2; die "the bridge is not ready"; }
port_in_use t "$RTSP_PORT" || { tail -20 "$RUN/logs/mediamtx.log" >&2; die "MediaMTX does not listen on $RTSP_PORT"; }

RTSP_URL="rtsp://viewer:$VIEWER_PASS@127.0.0.1:$RTSP_PORT/live/stream"
if $smoke; then
    log "smoke: POST /robots/default/stream/start?wait, read frames over RTSP, POST /stream/stop"
    curl -fsS -u "operator:$OPERATOR_PASS" -X POST "http://127.0.0.1:$HTTP_PORT/robots/default/stream/start?wait=PT20S" >/dev/null \
        || { tail -30 "$RUN/logs/agent.log" >&2; die "the robot did not start streaming"; }
    frames="$(timeout 12 gst-launch-1.0 -v rtspsrc location="$RTSP_URL" latency=100 ! decodebin \
        ! fakesink silent=false 2>&1 | grep -c 'last-message = chain' || true)"
    [ "${frames:-0}" -ge 30 ] || { tail -20 "$RUN/logs/mediamtx.log" >&2; die "smoke: read ${frames:-0} frames over RTSP, expected 30"; }
    log "smoke: read $frames video frames over RTSP through the relay"
    curl -fsS -u "viewer:$VIEWER_PASS" -X POST -o "$RUN/snapshot.jpg" "http://127.0.0.1:$HTTP_PORT/robots/default/snapshot?wait=PT15S" \
        && [ "$(head -c 2 "$RUN/snapshot.jpg" | od -An -tx1 | tr -d ' ')" = ffd8 ] \
        || { tail -20 "$RUN/logs/agent.log" >&2; die "smoke: no snapshot (JPEG) through the bridge"; }
    log "smoke: a snapshot of $(stat -c %s "$RUN/snapshot.jpg") bytes through the bridge"
    curl -fsS -u "operator:$OPERATOR_PASS" -X POST "http://127.0.0.1:$HTTP_PORT/robots/default/recording?duration=PT3S" >/dev/null \
        || { tail -20 "$RUN/logs/bridge.log" >&2; die "smoke: the bridge did not start a recording"; }
    for _ in $(seq 1 60); do
        curl -fsS -u "viewer:$VIEWER_PASS" "http://127.0.0.1:$HTTP_PORT/robots/default/clips" | grep -q '"url"' && break
        sleep 0.5
    done
    curl -fsS -u "viewer:$VIEWER_PASS" "http://127.0.0.1:$HTTP_PORT/robots/default/clips" | grep -q '"url"' \
        || { tail -20 "$RUN/logs/mediamtx.log" >&2; die "smoke: no clip listed after a 3 s recording"; }
    log "smoke: a 3 s recording is listed as a clip"
    curl -fsS -u "operator:$OPERATOR_PASS" -X POST "http://127.0.0.1:$HTTP_PORT/stream/stop" >/dev/null
    log "smoke: stopped"
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
    curl -u operator:$OPERATOR_PASS -X POST http://127.0.0.1:$HTTP_PORT/stream/stop
  An operator's stop holds: no view or player starts the robot again until an operator starts it,
  or puts it back to on demand:
    curl -u operator:$OPERATOR_PASS -X POST http://127.0.0.1:$HTTP_PORT/robots/default/camera/enable

  A snapshot, motion mode, and a 30 s clip recorded, listed and downloaded:
    curl -u viewer:$VIEWER_PASS -X POST -o snapshot.jpg "http://127.0.0.1:$HTTP_PORT/robots/default/snapshot?wait=PT15S"
    curl -u operator:$OPERATOR_PASS -X POST http://127.0.0.1:$HTTP_PORT/robots/default/motion/on
    curl -u operator:$OPERATOR_PASS -X POST "http://127.0.0.1:$HTTP_PORT/robots/default/recording?duration=PT30S"
    curl -u viewer:$VIEWER_PASS http://127.0.0.1:$HTTP_PORT/robots/default/clips
    curl -u viewer:$VIEWER_PASS -o clip.mp4 "http://127.0.0.1:$HTTP_PORT<url from the list>"

  Watch with any RTSP player (VLC, ffplay, GStreamer); opening it also starts the idle robot,
  and the robot stops after the last player leaves (over TCP, as below, also when a player dies
  without saying goodbye; an RTSP-over-UDP session outlives a dead player for about a minute):
    gst-launch-1.0 rtspsrc location=$RTSP_URL latency=100 protocols=tcp ! decodebin ! videoconvert ! ximagesink
  Without a display, the same player prints the frames it decodes instead:
    gst-launch-1.0 -v rtspsrc location=$RTSP_URL latency=100 protocols=tcp ! decodebin ! fpsdisplaysink video-sink=fakesink text-overlay=false
  Also served to the viewer (sign in as viewer):
    HLS     http://127.0.0.1:$HLS_PORT/live/stream/index.m3u8
    WebRTC  http://127.0.0.1:$WEBRTC_PORT/live/stream   (a player page for the browser)
    RTMP    rtmp://127.0.0.1:$RTMP_PORT/live/stream?user=viewer&pass=$VIEWER_PASS

  Press Ctrl-C to stop everything.
EOF
# Ctrl-C runs stop_all (the trap) and exits 0; this returns only when a part died by itself.
status=0
wait -n "$(cat "$RUN/agent.pid")" "$(cat "$RUN/bridge.pid")" "$(cat "$RUN/mediamtx.pid")" "$(cat "$RUN/mosquitto.pid")" || status=$?
for name in agent bridge mediamtx mosquitto; do
    kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null && continue
    tail -n 15 "$RUN/logs/$name.log" >&2
    die "the $name exited by itself (status $status); its log is $RUN/logs/$name.log (last lines above)"
done
