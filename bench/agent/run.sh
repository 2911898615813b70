#!/usr/bin/env bash
# Agent figures, measured against a real mosquitto, the real MediaMTX relay ($VIGIL_MEDIAMTX, the
# version the deployment pins) and the real agent jar with the testsrc pipeline (640x480, 15 fps, a
# keyframe every second), publishing over RTMP:
#   - start latency: `start` published -> the retained state says `streaming`;
#   - join latency: a late viewer (stream already running) opens the RTMP URL, and then the RTSP URL
#     (over TCP) -> its first decoded frame;
#   - stop latency: `stop` published -> the state says `idle` (gst-launch has sent EOS and exited);
#   - memory: resident set size of the agent JVM (idle, streaming) and of its gst-launch-1.0 child.
#   bash bench/agent/run.sh [rounds]      (default 5); writes bench/agent/results.md
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"
install_deps

ROUNDS="${1:-5}"
JAR="$VIGIL_ROOT/agent/target/vigil-agent.jar"
[ -f "$JAR" ] || mvn_batch -q -pl protocol,agent -am -DskipTests package
WORK="$(mktemp -d)"
chmod 700 "$WORK"
MQTT_PORT=$((20000 + RANDOM % 10000))
RTMP_PORT=$((MQTT_PORT + 1))
RTSP_PORT=$((MQTT_PORT + 2))
PASS="bench-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    sleep 1
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

: > "$WORK/passwd"
mosquitto_passwd -b "$WORK/passwd" robot "$PASS"
printf 'listener %s 127.0.0.1\nallow_anonymous false\npassword_file %s\npersistence false\nuser %s\n' \
    "$MQTT_PORT" "$WORK/passwd" "$(id -un)" > "$WORK/mosquitto.conf"
mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 & pids+=($!)
# The relay alone: anyone may publish and read (relay auth by the bridge is measured in bench/bridge).
cat > "$WORK/mediamtx.yml" <<EOF
logLevel: warn
authMethod: internal
authInternalUsers:
  - user: any
    permissions: [{action: publish}, {action: read}]
api: no
metrics: no
pprof: no
playback: no
rtspTransports: [tcp]
rtspAddress: 127.0.0.1:$RTSP_PORT
rtmpAddress: 127.0.0.1:$RTMP_PORT
hls: no
webrtc: no
srt: no
moq: no
paths:
  live/stream: {}
EOF
"$VIGIL_MEDIAMTX" "$WORK/mediamtx.yml" > "$WORK/mediamtx.log" 2>&1 & pids+=($!)
for _ in $(seq 1 50); do ss -Hltn "sport = :$RTSP_PORT" | grep -q . && break; sleep 0.1; done
ss -Hltn "sport = :$RTSP_PORT" | grep -q . || { cat "$WORK/mediamtx.log" >&2; die "MediaMTX did not start"; }

# The JVM flags of the robot's systemd unit, read from it so that the figures match a deployment.
JVM_OPTS="$(sed -n 's/^Environment="VIGIL_JAVA_OPTS=\(.*\)"$/\1/p' "$VIGIL_ROOT/systemd/vigil-agent.service")"
# shellcheck disable=SC2086
MQTT_BROKER=127.0.0.1 MQTT_PORT="$MQTT_PORT" MQTT_USER=robot MQTT_PASS="$PASS" MQTT_TOPIC=robot/stream \
MEDIA_SERVER="127.0.0.1:$RTMP_PORT" AGENT_PIPELINE=testsrc AGENT_PIPELINES_DIR="$VIGIL_ROOT/pipelines" \
AGENT_PID_FILE="$WORK/gst.pid" "$JAVA_HOME/bin/java" $JVM_OPTS -jar "$JAR" > "$WORK/agent.log" 2>&1 & agent=$!
pids+=("$agent")
mosquitto_sub -p "$MQTT_PORT" -u robot -P "$PASS" -t robot/stream/state > "$WORK/states" 2>/dev/null & pids+=($!)

now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }
rss() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }
count() { grep -c "\"state\":\"$1\"" "$WORK/states" || true; }
await_state() {
    local want="$1" before="$2" deadline=$((SECONDS + 60))
    until [ "$(count "$want")" -gt "$before" ]; do
        [ $SECONDS -lt $deadline ] || { tail -15 "$WORK/agent.log" >&2; cat "$WORK/states" >&2; die "no '$want' state within 60 s"; }
        sleep 0.02
    done
}
# Milliseconds from now to the first decoded frame of a reader (fakesink silent=false -v), or "timeout".
# The reader's output is line-buffered (stdbuf) and watched in a file; the reader is stopped once it
# has shown a frame. (Piping it into grep -m1 instead measured until the reader's own timeout: a
# gst-launch-1.0 whose stdout has closed does not always exit.)
first_frame_ms() {
    local out="$WORK/reader.out" t0 t1 pid
    : > "$out"
    t0="$(now)"
    stdbuf -oL "$@" > "$out" 2>&1 &
    pid=$!
    for _ in $(seq 1 1000); do
        grep -q 'fakesink.*chain' "$out" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.02
    done
    t1="$(now)"
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if grep -q 'fakesink.*chain' "$out"; then ms "$t0" "$t1"; else echo timeout; fi
}
send() { mosquitto_pub -p "$MQTT_PORT" -u robot -P "$PASS" -t robot/stream -q 1 -m "$1"; }

await_state idle -1
sleep 3
idle_rss="$(rss "$agent")"
starts=() joins=() rtsp_joins=() stops=() stream_rss=() child_rss=()
for round in $(seq 1 "$ROUNDS"); do
    before="$(count streaming)"
    t0="$(now)"; send start; await_state streaming "$before"; t1="$(now)"
    starts+=("$(ms "$t0" "$t1")")
    sleep 3
    joins+=("$(first_frame_ms gst-launch-1.0 -v rtmpsrc "location=rtmp://127.0.0.1:$RTMP_PORT/live/stream live=1" \
        ! flvdemux name=d d.video ! h264parse ! avdec_h264 ! fakesink silent=false)")
    rtsp_joins+=("$(first_frame_ms gst-launch-1.0 -v rtspsrc "location=rtsp://127.0.0.1:$RTSP_PORT/live/stream" protocols=tcp \
        ! rtph264depay ! h264parse ! avdec_h264 ! fakesink silent=false)")
    stream_rss+=("$(rss "$agent")")
    child="$(cat "$WORK/gst.pid" 2>/dev/null || true)"
    child_rss+=("$( [ -n "$child" ] && rss "$child" || echo "?")")
    before="$(count idle)"
    t4="$(now)"; send stop; await_state idle "$before"; t5="$(now)"
    stops+=("$(ms "$t4" "$t5")")
    log "round $round: start ${starts[-1]} ms, join RTMP ${joins[-1]} ms, RTSP ${rtsp_joins[-1]} ms, stop ${stops[-1]} ms, agent RSS ${stream_rss[-1]} MiB, gst RSS ${child_rss[-1]} MiB"
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
OUT="$VIGIL_ROOT/bench/agent/results.md"
{
    echo "# Agent figures"
    echo
    echo "\`bench/agent/run.sh $ROUNDS\` on $(date -u '+%Y-%m-%d %H:%M') UTC: $(nproc) cores, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1),"
    echo "mosquitto, MediaMTX $("$VIGIL_MEDIAMTX" --version 2>&1 | head -n 1) and the agent (testsrc: 640x480, 15 fps, x264 ultrafast, a keyframe each second,"
    echo "published over RTMP) on loopback."
    echo "The agent runs with the JVM flags of \`systemd/vigil-agent.service\`: \`$JVM_OPTS\`."
    echo
    echo "| figure | median | every round |"
    echo "|---|---|---|"
    echo "| start: \`start\` published -> state \`streaming\` | $(median "${starts[@]}") ms | ${starts[*]} |"
    echo "| join: a late viewer opens the RTMP URL -> first decoded frame | $(median "${joins[@]}") ms | ${joins[*]} |"
    echo "| join: a late viewer opens the RTSP URL (TCP) -> first decoded frame | $(median "${rtsp_joins[@]}") ms | ${rtsp_joins[*]} |"
    echo "| stop: \`stop\` published -> state \`idle\` (EOS sent, gst-launch exited) | $(median "${stops[@]}") ms | ${stops[*]} |"
    echo "| agent JVM resident memory, idle | $idle_rss MiB | |"
    echo "| agent JVM resident memory, streaming | $(median "${stream_rss[@]}") MiB | ${stream_rss[*]} |"
    echo "| gst-launch-1.0 resident memory, streaming | $(median "${child_rss[@]}") MiB | ${child_rss[*]} |"
    echo
    echo "Start includes launching gst-launch-1.0, the RTMP handshake and the first progressreport line"
    echo "(printed once a second), so up to a second of it is the report interval. Join includes the"
    echo "player's own start-up and the wait for the next keyframe (at most one second, since every"
    echo "template sets key-int-max to the frame rate)."
} > "$OUT"
cat "$OUT"
