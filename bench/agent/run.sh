#!/usr/bin/env bash
# Agent figures against their targets (issue 12) and the original Python script's (44 MB resident,
# 0.1 % CPU), each over ROUNDS fresh agent processes, against a real mosquitto, the real MediaMTX
# ($VIGIL_MEDIAMTX) and the test pattern (testsrc: 640x480, 15 fps, x264) published over RTMP:
#   - resident memory (VmRSS) and threads, idle and streaming (the agent JVM only, not gst-launch);
#   - CPU of the agent JVM (user + system time over a window), idle and streaming;
#   - start-up: launch -> "listening for commands" (MQTT connected, subscribed);
#   - start: `start` published -> the retained state says `streaming`;
#   - state lag: the first buffer leaves rtmpsink (its "Opened connection" debug line, printed just
#     before it writes the first buffer) -> the agent's `-> streaming` line (same log, same clock);
#   - stop: `stop` published -> state `idle` (EOS sent, gst-launch exited).
# Variants: the launcher (agent/vigil-agent) on /usr/bin/java (17, as on Raspberry Pi OS bookworm),
# with and without its AppCDS archive, with motion mode on (the watcher runs while idle, on a still
# test pattern; the stream carries the motion branch), and on the build JDK ($JAVA_HOME); and
# `java -jar vigil-agent.jar` as the README used to say, on /usr/bin/java. Every variant keeps the
# snapshot branch (the agent's snapshot folder is in the bench's own).
#   bash bench/agent/run.sh [rounds]      (default 10); writes bench/agent/results.md
# VARIANTS (default: all, "before17 launcher17 launcher17nocds launcher17motion launcherNew") picks
# the columns; OUT (default bench/agent/results.md) the file. BASELINE_JAR (another build of the
# agent, main's say) adds the variant baseline17: that jar through the same launcher on Java 17
# (BASELINE_LABEL names it in the table).
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"
install_deps

ROUNDS="${1:-10}"
VARIANTS="${VARIANTS:-before17 launcher17 launcher17nocds launcher17motion launcherNew}"
IDLE_WINDOW="${IDLE_WINDOW:-10}"
STREAM_WINDOW="${STREAM_WINDOW:-10}"
[ -f "$VIGIL_ROOT/agent/target/vigil-agent.jar" ] || mvn_batch -q -pl agent -am -DskipTests package
JAVA17=/usr/bin/java
[ "$(java_release "$JAVA17")" = 17 ] || die "$JAVA17 is not Java 17 (the Pi's); install openjdk-17-jre-headless"
JAVA_NEW="$JAVA_HOME/bin/java"
WORK="$(mktemp -d)"
chmod 700 "$WORK"
BASE="$(free_port_run)"
MQTT_PORT=$BASE RTMP_PORT=$((BASE + 1)) RTSP_PORT=$((BASE + 2))
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
# The jar and its launcher laid out as the Ansible role installs them (a rebuild meanwhile cannot
# pull the jar from under a running agent); AppCDS archives are built beside them.
mkdir -p "$WORK/opt"
cp "$VIGIL_ROOT/agent/vigil-agent" "$VIGIL_ROOT/agent/target/vigil-agent.jar" "$WORK/opt/"
JAR="$WORK/opt/vigil-agent.jar"
if [ -n "${BASELINE_JAR:-}" ]; then
    mkdir -p "$WORK/base"
    cp "$BASELINE_JAR" "$WORK/base/vigil-agent.jar"
fi
LAUNCHER="$WORK/opt/vigil-agent"
mosquitto_passwd -b "$WORK/passwd" robot "$PASS"
printf 'listener %s 127.0.0.1\nallow_anonymous false\npassword_file %s\npersistence false\nuser %s\n' \
    "$MQTT_PORT" "$WORK/passwd" "$(id -un)" > "$WORK/mosquitto.conf"
mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 & pids+=($!)
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
for _ in $(seq 1 50); do ss -Hltn "sport = :$RTMP_PORT" | grep -q . && break; sleep 0.1; done
ss -Hltn "sport = :$RTMP_PORT" | grep -q . || { cat "$WORK/mediamtx.log" >&2; die "MediaMTX did not start"; }
mosquitto_sub -p "$MQTT_PORT" -u robot -P "$PASS" -t robot/stream/state > "$WORK/states" 2>/dev/null & pids+=($!)

now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }'; }
field() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status" 2>/dev/null; }
rss() { awk '{ printf "%.1f\n", $1 / 1024 }' <<<"$(field "$1" VmRSS)"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Percent of one core the process used over $2 seconds.
cpu() {
    local before after
    before="$(ticks "$1")"; sleep "$2"; after="$(ticks "$1")"
    awk -v a="$before" -v b="$after" -v s="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f\n", (b - a) / hz / s * 100 }'
}
count() { grep -c "\"state\":\"$1\"" "$WORK/states" || true; }
await_state() {
    local want="$1" before="$2" deadline=$((SECONDS + 60))
    until [ "$(count "$want")" -gt "$before" ]; do
        [ $SECONDS -lt $deadline ] || { tail -15 "$WORK/agent.log" >&2; die "no '$want' state within 60 s"; }
        sleep 0.02
    done
}
await_line() {
    local text="$1" deadline=$((SECONDS + 60))
    until grep -q "$text" "$WORK/agent.log"; do
        [ $SECONDS -lt $deadline ] || { tail -15 "$WORK/agent.log" >&2; die "the agent did not log '$text' within 60 s"; }
        sleep 0.02
    done
}
send() { mosquitto_pub -p "$MQTT_PORT" -u robot -P "$PASS" -t robot/stream -q 1 -m "$1"; }
# Milliseconds between the first log lines (ISO times) that contain $1 and $2.
log_ms() {
    local a b
    a="$(grep -m1 -- "$1" "$WORK/agent.log" | cut -d' ' -f1)"; b="$(grep -m1 -- "$2" "$WORK/agent.log" | cut -d' ' -f1)"
    [ -n "$a" ] && [ -n "$b" ] || { echo "?"; return; }
    ms "$(date -d "$a" +%s.%N)" "$(date -d "$b" +%s.%N)"
}

# One round: a fresh agent; every figure of it, appended to $WORK/<variant>.<figure>.
round() {
    local variant="$1" java="$2" how="$3" cds="${4:-on}" motion="${5:-false}" jar="${6:-$JAR}" t0 t1 agent before
    : > "$WORK/agent.log"
    rm -f "$WORK/gst.pid" "$WORK/watch-gst.pid" "$WORK/motion.json"
    # Motion mode watches a still pattern (no motion, so no stream of its own); its mode file is ours.
    local motion_opts="-Dvigil.agent.motion.watch-params.pattern=colors -Dvigil.agent.motion.mode-file=$WORK/motion.json"
    t0="$(now)"
    # GST_DEBUG=rtmpsink:5 makes rtmpsink say "Opened connection" just before it writes its first
    # buffer; AGENT_LOG_LEVEL=DEBUG logs that line (a handful per stream, none per frame).
    if [ "$how" = launcher ]; then
        env JAVA="$java" VIGIL_AGENT_JAR="$jar" VIGIL_CDS="$cds" VIGIL_JAVA_OPTS="$motion_opts" AGENT_MOTION="$motion" \
            AGENT_SNAPSHOT_DIR="$WORK/snapshots" MQTT_BROKER=127.0.0.1 MQTT_PORT="$MQTT_PORT" MQTT_USER=robot MQTT_PASS="$PASS" MQTT_TOPIC=robot/stream \
            MEDIA_SERVER="127.0.0.1:$RTMP_PORT" AGENT_PIPELINE=testsrc AGENT_PIPELINES_DIR="$VIGIL_ROOT/pipelines" \
            AGENT_PID_FILE="$WORK/gst.pid" AGENT_LOG_LEVEL=DEBUG GST_DEBUG=rtmpsink:5 GST_DEBUG_NO_COLOR=1 \
            "$LAUNCHER" > "$WORK/agent.log" 2>&1 &
    else
        env AGENT_MOTION="$motion" AGENT_SNAPSHOT_DIR="$WORK/snapshots" \
            MQTT_BROKER=127.0.0.1 MQTT_PORT="$MQTT_PORT" MQTT_USER=robot MQTT_PASS="$PASS" MQTT_TOPIC=robot/stream \
            MEDIA_SERVER="127.0.0.1:$RTMP_PORT" AGENT_PIPELINE=testsrc AGENT_PIPELINES_DIR="$VIGIL_ROOT/pipelines" \
            AGENT_PID_FILE="$WORK/gst.pid" AGENT_LOG_LEVEL=DEBUG GST_DEBUG=rtmpsink:5 GST_DEBUG_NO_COLOR=1 \
            "$java" $motion_opts -jar "$JAR" > "$WORK/agent.log" 2>&1 &
    fi
    agent=$!
    pids+=("$agent")
    await_line "listening for commands"
    t1="$(now)"
    echo "$(ms "$t0" "$t1")" >> "$WORK/$variant.startup"
    [ "$motion" = false ] || await_line "launching the motion watcher"
    sleep 5
    rss "$agent" >> "$WORK/$variant.rss_idle"
    awk '{ printf "%.1f\n", $1 / 1024 }' <<<"$(field "$agent" RssAnon)" >> "$WORK/$variant.anon_idle"
    field "$agent" Threads >> "$WORK/$variant.threads_idle"
    cpu "$agent" "$IDLE_WINDOW" >> "$WORK/$variant.cpu_idle"
    before="$(count streaming)"
    t0="$(now)"; send start; await_state streaming "$before"; t1="$(now)"
    ms "$t0" "$t1" >> "$WORK/$variant.start"
    log_ms "Opened connection" "-> streaming" >> "$WORK/$variant.lag"
    sleep 5
    rss "$agent" >> "$WORK/$variant.rss_streaming"
    field "$agent" Threads >> "$WORK/$variant.threads_streaming"
    cpu "$agent" "$STREAM_WINDOW" >> "$WORK/$variant.cpu_streaming"
    before="$(count idle)"
    t0="$(now)"; send stop; await_state idle "$before"; t1="$(now)"
    ms "$t0" "$t1" >> "$WORK/$variant.stop"
    kill -TERM "$agent"
    wait "$agent" 2>/dev/null || true
    log "$variant round: start-up $(tail -1 "$WORK/$variant.startup") ms, RSS $(tail -1 "$WORK/$variant.rss_idle")/$(tail -1 "$WORK/$variant.rss_streaming") MiB, threads $(tail -1 "$WORK/$variant.threads_idle")/$(tail -1 "$WORK/$variant.threads_streaming"), CPU $(tail -1 "$WORK/$variant.cpu_idle")/$(tail -1 "$WORK/$variant.cpu_streaming") %, start $(tail -1 "$WORK/$variant.start") ms, lag $(tail -1 "$WORK/$variant.lag") ms, stop $(tail -1 "$WORK/$variant.stop") ms"
}

# The AppCDS archives are built once per java, as the launcher (or the Ansible role) does.
JAVA="$JAVA17" "$LAUNCHER" --build-cds > /dev/null
JAVA="$JAVA_NEW" "$LAUNCHER" --build-cds > /dev/null
[ ! -f "$WORK/base/vigil-agent.jar" ] || VIGIL_AGENT_JAR="$WORK/base/vigil-agent.jar" JAVA="$JAVA17" "$LAUNCHER" --build-cds > /dev/null
for r in $(seq 1 "$ROUNDS"); do
    for variant in $VARIANTS; do
        case "$variant" in
            launcher17) round launcher17 "$JAVA17" launcher ;;
            launcher17nocds) round launcher17nocds "$JAVA17" launcher off ;;
            launcher17motion) round launcher17motion "$JAVA17" launcher on true ;;
            baseline17) round baseline17 "$JAVA17" launcher on false "$WORK/base/vigil-agent.jar" ;;
            launcherNew) round launcherNew "$JAVA_NEW" launcher ;;
            before17) round before17 "$JAVA17" plain ;;
            *) die "unknown variant $variant" ;;
        esac
    done
    log "round $r of $ROUNDS done"
done

stats() { # median (min-max) of a figure's values
    local file="$WORK/$1"
    sort -n "$file" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s (%s-%s)", m, v[1], v[NR] }'
}
OUT="${OUT:-$VIGIL_ROOT/bench/agent/results.md}"
header() {
    case "$1" in
        before17) echo "\`java -jar\`, Java 17" ;;
        launcher17) echo "launcher, Java 17 ($("$JAVA17" -version 2>&1 | head -1 | cut -d'"' -f2))" ;;
        launcher17nocds) echo "launcher without AppCDS, Java 17" ;;
        launcher17motion) echo "launcher, Java 17, motion mode on" ;;
        baseline17) echo "launcher, Java 17, ${BASELINE_LABEL:-the baseline jar}" ;;
        launcherNew) echo "launcher, Java $(java_release "$JAVA_NEW")" ;;
    esac
}
# One row: its label, target and the original script's figure, then each variant's stats of $4.
row() {
    local line="| $1 | $2 | $3 |" variant
    for variant in $VARIANTS; do line="$line $(stats "$variant.$4") |"; done
    echo "$line"
}
{
    echo "# Agent figures"
    echo
    echo "\`bench/agent/run.sh $ROUNDS\` on $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, other work on the machine (load $(cut -d' ' -f1-3 /proc/loadavg)):"
    echo "mosquitto, MediaMTX $("$VIGIL_MEDIAMTX" --version 2>&1 | head -n 1), the agent with \`testsrc\` (640x480, 15 fps, x264) over RTMP, all on loopback."
    echo "Each figure: median (min-max) over $ROUNDS fresh agent processes per column. CPU: the agent JVM's user + system time"
    echo "over ${IDLE_WINDOW} s idle and ${STREAM_WINDOW} s streaming, in % of one core (gst-launch-1.0 is not counted)."
    echo
    line="| figure | target | original script |"; rule="|---|---|---|"
    for variant in $VARIANTS; do line="$line $(header "$variant") |"; rule="$rule---|"; done
    echo "$line"; echo "$rule"
    row "resident memory, idle (MiB)" "<= 48" "44 MB" rss_idle
    row "of it anonymous (not file pages), idle (MiB)" "-" "-" anon_idle
    row "resident memory, streaming (MiB)" "<= 48" "44 MB" rss_streaming
    row "threads, idle" "<= 12" "-" threads_idle
    row "threads, streaming" "<= 12" "-" threads_streaming
    row "CPU, idle (% of a core)" "~0" "0.1 %" cpu_idle
    row "CPU, streaming, agent only (% of a core)" "<= 1" "0.1 %" cpu_streaming
    row "start-up: launch -> listening for commands (ms)" "no loss" "-" startup
    row "start: \`start\` -> state \`streaming\` (ms)" "no loss" "-" start
    row "state lag: first buffer leaves the sink -> \`streaming\` (ms)" "<= 150" "-" lag
    row "stop: \`stop\` -> state \`idle\` (ms)" "-" "-" stop
    echo
    echo "The launcher's flags are in agent/vigil-agent (and agent/README.md); with them it maps one static AppCDS archive of"
    echo "the JDK's and the agent's classes, built once per jar and java (\`--cds-training\` lists them); \"without AppCDS\""
    echo "maps the JDK's own archive only. The \`java -jar\` column, where there is one, has the JVM's defaults (the way the"
    echo "README used to start the agent by hand). The code before this issue, with the unit's old flags, is in"
    echo "bench/RESULTS.md (84 MiB, 25 threads, \`streaming\` about 0.7 s after the first frame)."
    echo "With motion mode on, the watcher (\`pipelines/watch/testsrc.pipeline\` on a still pattern) runs while idle and the"
    echo "stream carries the motion branch; the agent's figures only (the watcher's own CPU is in bench/camera)."
} > "$OUT"
cat "$OUT"
