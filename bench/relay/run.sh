#!/usr/bin/env bash
# Relay figures (issue 14): how fast a player sees video, through the whole local loop of
# scripts/run-local.sh (Mosquitto, MediaMTX asking the bridge about every publish and read, the
# on-demand hook, the bridge, the agent with a test pattern), each beside its floor: a bare
# gst-launch-1.0 of the same template published by hand into the same MediaMTX, read by the same
# client. Figures, each over RUNS rounds:
#   ondemand  idle robot: the player opens the RTSP URL -> first decoded frame
#   wait      POST /robots/default/stream/start?wait=PT10S -> answer -> open RTSP once -> first frame
#   live      open RTSP on a live stream -> first frame (random 0-1 s phase against the keyframes)
#   leave     the last player leaves (exits) -> the robot's state is idle
#   floor-start  bare publisher launched -> MediaMTX says it is publishing -> open RTSP -> first frame
#   floor-live   open RTSP on the bare publisher's live stream -> first frame
#   live-gst, floor-live-gst  the same, read with GStreamer's own User-Agent (see below)
# The client: gst-launch-1.0 rtspsrc (TCP, latency=0, user-agent) ! rtph264depay ! h264parse !
# avdec_h264 output-corrupt=false ! identity eos-after=1 ! fakesink, timed from its launch to its
# exit: the first frame it decodes whole (so a joiner waits for a keyframe). MediaMTX's RTSP
# library holds every SETUP from a User-Agent starting with "GStreamer" for 1 s (gortsplib issue
# 752, a workaround for old rtspclientsink), which no VLC, ffmpeg or phone player pays; the client
# therefore says "vigil-bench", and the -gst figures show what a GStreamer player sees.
#
#   bench/relay/run.sh [RUNS]        (default 10); prints the tables, writes bench/relay/results.md
#
# Variables:
#   BENCH_RELAY_VARIANTS  publish variants, each PIPELINE[@KEYINT][~gst] (KEYINT: the template's keyint,
#                         x264 key-int-max in frames, default 5 at 15 fps; ~gst: rtspclientsink keeps
#                         GStreamer's own User-Agent instead of the template's vigil-agent), default
#                         "testsrc-rtsp testsrc testsrc-srt testsrc-rtsp@15"
#   BENCH_RELAY_FIGURES   default "ondemand wait live floor" (leave is measured with ondemand); a
#                         variant can name its own: testsrc:wait,live
#   BENCH_RELAY_BASE_PORT first of eleven ports (default: random in 40000-48990)
#   BENCH_RELAY_KEEP=1    keep the working folder (logs, stamped logs, rounds) for reading
#   BENCH_RELAY_CHROMIUM=N  also N rounds of Go Live in Chromium over WebRTC and N over the HLS fallback
#                         (e2e's GoLiveBench through mvn -pl e2e -am verify, its own system; the robot
#                         publishes over BENCH_RELAY_CHROMIUM_PUBLISH, RTSP like the local loop, or RTMP),
#                         from its `go-live-to-first-frame webrtc=|hls=` lines
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/../../scripts/lib.sh"
install_deps
apt_install python3

RUNS="${1:-10}"
[[ "$RUNS" =~ ^[0-9]+$ ]] && [ "$RUNS" -ge 1 ] || die "RUNS must be a positive number"
VARIANTS="${BENCH_RELAY_VARIANTS:-testsrc-rtsp testsrc testsrc-srt testsrc-rtsp@15}"
FIGURES="${BENCH_RELAY_FIGURES:-ondemand wait live floor}"
BASE="${BENCH_RELAY_BASE_PORT:-$((40000 + RANDOM % 900 * 10))}"
WORK="$(mktemp -d /tmp/vigil-bench-relay.XXXXXX)"
chmod 700 "$WORK"
ROUNDS="$WORK/rounds.tsv"
: > "$ROUNDS"

if [ ! -f "$VIGIL_ROOT/agent/target/vigil-agent.jar" ] || [ ! -f "$VIGIL_ROOT/bridge/target/vigil-bridge.jar" ]; then
    log "building the jars (mvn package, tests skipped)"
    mvn_batch -q -DskipTests package
fi

STACK_PID="" FOLLOWERS=() FLOOR_PID=""
stop_followers() {
    local pid
    for pid in "${FOLLOWERS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    FOLLOWERS=()
}
stop_floor() {
    [ -n "$FLOOR_PID" ] || return 0
    kill -INT "$FLOOR_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$FLOOR_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$FLOOR_PID" 2>/dev/null || true
    wait "$FLOOR_PID" 2>/dev/null || true
    FLOOR_PID=""
}
stop_stack() {
    stop_floor
    stop_followers
    [ -n "$STACK_PID" ] || return 0
    # run-local.sh stops the relay first (it ends the hook), then agent, bridge and broker.
    kill -TERM "$STACK_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$STACK_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$STACK_PID" 2>/dev/null || true
    wait "$STACK_PID" 2>/dev/null || true
    STACK_PID=""
}
cleanup() {
    stop_stack
    if [ "${BENCH_RELAY_KEEP:-0}" = 1 ]; then log "working folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }

# Starts run-local.sh for one variant; sets RUN, the credentials and the URLs.
start_stack() { # variant
    local variant="$1" pipeline keyint="" gst="" pipelines="$VIGIL_ROOT/pipelines" f
    pipeline="${variant%%[@~]*}"
    [[ "$variant" == *@* ]] && keyint="${variant#*@}" && keyint="${keyint%%~*}"
    [[ "$variant" == *~gst ]] && gst=yes
    RUN="$WORK/$variant"
    if [ -n "$keyint$gst" ]; then
        [ -z "$keyint" ] || [[ "$keyint" =~ ^[0-9]+$ ]] || die "variant $variant: the key interval must be a number of frames"
        pipelines="$WORK/pipelines-$variant"
        mkdir -p "$pipelines"
        local edits=(-e "s/^# param keyint=.*/# param keyint=${keyint:-5}/")
        [ -z "$gst" ] || edits+=(-e "s/ user-agent=vigil-agent//")
        for f in "$VIGIL_ROOT"/pipelines/*.pipeline; do
            sed "${edits[@]}" "$f" > "$pipelines/$(basename "$f")"
        done
    fi
    PIPELINE_FILE="$pipelines/$pipeline.pipeline"
    [ -f "$PIPELINE_FILE" ] || die "no pipeline $PIPELINE_FILE"
    log "variant $variant: starting scripts/run-local.sh (ports $BASE-$((BASE + 10)))"
    BRIDGE_PORT=$BASE VIGIL_MQTT_PORT=$((BASE + 1)) VIGIL_RTSP_PORT=$((BASE + 2)) VIGIL_SRT_PORT=$((BASE + 3)) \
    VIGIL_RTP_PORT=$((BASE + 4)) VIGIL_RTMP_PORT=$((BASE + 6)) VIGIL_HLS_PORT=$((BASE + 7)) \
    VIGIL_WEBRTC_PORT=$((BASE + 8)) VIGIL_WEBRTC_UDP_PORT=$((BASE + 9)) VIGIL_MTX_API_PORT=$((BASE + 10)) \
    VIGIL_LOCAL_DIR="$RUN" \
    VIGIL_AGENT_PIPELINE="$pipeline" VIGIL_PIPELINES_DIR="$pipelines" VIGIL_MEDIAMTX_LOG_LEVEL=debug \
        "$VIGIL_ROOT/scripts/run-local.sh" --no-build > "$WORK/$variant.out" 2>&1 &
    STACK_PID=$!
    for _ in $(seq 1 240); do
        grep -q 'Press Ctrl-C' "$WORK/$variant.out" && break
        kill -0 "$STACK_PID" 2>/dev/null || { cat "$WORK/$variant.out" >&2; die "run-local.sh exited"; }
        sleep 0.5
    done
    grep -q 'Press Ctrl-C' "$WORK/$variant.out" || { cat "$WORK/$variant.out" >&2; die "run-local.sh did not come up in 120 s"; }
    OPERATOR_PASS="$(sed -n 's/.*operator \/ \([^ ]*\) .*/\1/p' "$WORK/$variant.out")"
    VIEWER_PASS="$(sed -n 's/.*viewer   \/ \([^ ]*\) .*/\1/p' "$WORK/$variant.out")"
    # The robot's and the bridge's own secrets: only in run-local's private (0700) bridge.conf.
    ROBOT_SECRET="$(sed -n 's/^ *publish-secret = "\(.*\)"$/\1/p' "$RUN/bridge.conf")"
    BRIDGE_MQTT_PASS="$(sed -n 's/.*user = "bridge", password = "\([^"]*\)".*/\1/p' "$RUN/bridge.conf")"
    [ -n "$OPERATOR_PASS" ] && [ -n "$VIEWER_PASS" ] && [ -n "$ROBOT_SECRET" ] && [ -n "$BRIDGE_MQTT_PASS" ] \
        || die "could not read the demo credentials from run-local.sh"
    BRIDGE="http://127.0.0.1:$BASE"
    READ_URL="rtsp://viewer:$VIEWER_PASS@127.0.0.1:$((BASE + 2))/live/stream"
    case "$pipeline" in
        *-srt) PUBLISH_URL="srt://127.0.0.1:$((BASE + 3))?streamid=publish:live/stream:robot:$ROBOT_SECRET" ;;
        *-rtsp) PUBLISH_URL="rtsp://robot:$ROBOT_SECRET@127.0.0.1:$((BASE + 2))/live/stream" ;;
        *) PUBLISH_URL="rtmp://127.0.0.1:$((BASE + 6))/live/stream?user=robot&pass=$ROBOT_SECRET" ;;
    esac
    local name
    for name in mediamtx bridge agent; do
        python3 "$HERE/stamp.py" "$RUN/logs/$name.log" "$WORK/$variant.$name.log" & FOLLOWERS+=($!)
    done
    stdbuf -oL mosquitto_sub -h 127.0.0.1 -p $((BASE + 1)) -u bridge -P "$BRIDGE_MQTT_PASS" -t robot/stream/state \
        > "$WORK/$variant.state.raw" 2>/dev/null & FOLLOWERS+=($!)
    python3 "$HERE/stamp.py" "$WORK/$variant.state.raw" "$WORK/$variant.state.log" & FOLLOWERS+=($!)
    STATES="$WORK/$variant.state.log"
    MTX_LOG="$WORK/$variant.mediamtx.log"
    await_state idle 0 60 > /dev/null
}

# Waits until the robot's retained state, published after epoch AFTER, is STATE; prints the epoch.
await_state() { # state after timeout-seconds
    local deadline=$((SECONDS + $3)) at
    while :; do
        at="$(awk -v s="\"state\":\"$1\"" -v t="$2" 'index($0, s) && $1 > t { print $1; exit }' "$STATES" 2>/dev/null || true)"
        [ -n "$at" ] && { echo "$at"; return 0; }
        [ $SECONDS -lt $deadline ] || { log "no '$1' state within $3 s"; return 1; }
        sleep 0.02
    done
}
# Waits until MediaMTX logs a line with TEXT after epoch AFTER.
await_mtx() { # text after timeout-seconds
    local deadline=$((SECONDS + $3))
    until awk -v s="$1" -v t="$2" 'index($0, s) && $1 > t { found = 1; exit } END { exit !found }' "$MTX_LOG" 2>/dev/null; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.01
    done
}

# The frame-timing client: exits after its first decoded frame. Prints "t0 t1 ok".
read_once() { # [user-agent]
    local t0 t1 ok=1 ua=(user-agent="${1:-vigil-bench}")
    [ "${1:-}" = gstreamer ] && ua=()
    t0="$(now)"
    timeout 20 gst-launch-1.0 -q rtspsrc location="$READ_URL" latency=0 protocols=tcp "${ua[@]}" ! rtph264depay \
        ! h264parse ! avdec_h264 output-corrupt=false ! identity eos-after=1 ! fakesink > "$WORK/reader.out" 2>&1 || ok=0
    t1="$(now)"
    # A failed read keeps its output for the reader's log.
    [ "$ok" = 1 ] || { echo "== read at $t0 failed:"; cat "$WORK/reader.out"; } >> "$WORK/reader-failures.log"
    echo "$t0 $t1 $ok"
}
record() { # variant figure round t0 t1 ok [mid]
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "${7:--}" >> "$ROUNDS"
}
operator() { # method path
    curl -sS -o /dev/null -w '%{http_code}' -u "operator:$OPERATOR_PASS" -X "$1" "$BRIDGE$2"
}

# The template rendered with its defaults and the publish URL, tokenised like the agent does.
floor_publish() {
    local argv=()
    mapfile -d '' argv < <(python3 - "$PIPELINE_FILE" "$PUBLISH_URL" <<'EOF'
import re, shlex, sys
text = open(sys.argv[1]).read()
params = dict(re.findall(r"^# param (\w+)=(.*)$", text, re.M))
params["url"] = sys.argv[2]
body = " ".join(line for line in text.splitlines() if not line.startswith("#"))
body = re.sub(r"\$\{(\w+)\}", lambda m: params[m.group(1)], body)
sys.stdout.write("".join(token + "\0" for token in shlex.split(body)))
EOF
    )
    gst-launch-1.0 -e "${argv[@]}" > "$WORK/floor-publisher.log" 2>&1 &
    FLOOR_PID=$!
}

bench_variant() { # variant[:figure,figure...]
    local variant="${1%%:*}" r out t0 t1 ok idle mid code FIGURES="$FIGURES"
    [[ "$1" == *:* ]] && FIGURES="${1#*:}" && FIGURES="${FIGURES//,/ }"
    start_stack "$variant"
    if [[ " $FIGURES " == *" ondemand "* ]]; then
        log "$variant: idle robot, player opens RTSP (1 warm-up + $RUNS rounds; each waits for the robot to idle)"
        for r in $(seq 0 "$RUNS"); do
            read -r t0 t1 ok <<<"$(read_once)"
            idle="$(await_state idle "$t1" 40)" || idle=""
            if [ "$r" -gt 0 ]; then
                record "$variant" ondemand "$r" "$t0" "$t1" "$ok"
                [ -n "$idle" ] && record "$variant" leave "$r" "$t1" "$idle" 1
            fi
            sleep 0.5
        done
    fi
    if [[ " $FIGURES " == *" wait "* ]]; then
        log "$variant: POST start?wait=PT10S, then open RTSP once ($RUNS rounds)"
        for r in $(seq 1 "$RUNS"); do
            t0="$(now)"
            code="$(operator POST '/robots/default/stream/start?wait=PT10S')"
            mid="$(now)"
            read -r _ t1 ok <<<"$(read_once)"
            [ "$code" = 200 ] || ok=0
            record "$variant" wait "$r" "$t0" "$t1" "$ok" "$mid"
            # Let the hook's view (if the read ran it) close, then stop the robot.
            sleep 2.5
            operator POST /robots/default/stream/stop > /dev/null
            # An operator's stop holds: back to on demand for the next round.
            operator POST /robots/default/camera/enable > /dev/null
            await_state idle "$t1" 30 > /dev/null || true
            sleep 0.5
        done
    fi
    if [[ " $FIGURES " == *" live "* ]]; then
        log "$variant: open RTSP on a live stream ($RUNS rounds)"
        operator POST '/robots/default/stream/start?wait=PT10S' > /dev/null
        sleep 2
        for r in $(seq 1 "$RUNS"); do
            sleep "0.$((RANDOM % 10))"
            read -r t0 t1 ok <<<"$(read_once)"
            record "$variant" live "$r" "$t0" "$t1" "$ok"
        done
        for r in $(seq 1 "$RUNS"); do
            sleep "0.$((RANDOM % 10))"
            read -r t0 t1 ok <<<"$(read_once gstreamer)"
            record "$variant" live-gst "$r" "$t0" "$t1" "$ok"
        done
        t0="$(now)"
        operator POST /robots/default/stream/stop > /dev/null
        operator POST /robots/default/camera/enable > /dev/null
        await_state idle "$t0" 30 > /dev/null || true
        sleep 3
    fi
    if [[ " $FIGURES " == *" floor "* ]]; then
        log "$variant: floor, a bare gst-launch of $(basename "$PIPELINE_FILE") published by hand ($RUNS rounds each)"
        # The relay admits the robot's publish only while it is meant to stream: the agent is paused (an
        # exit would end run-local.sh), and an operator's start, which it does not act on, admits the
        # hand-made publisher for the command expiry.
        agent_pid="$(cat "$RUN/agent.pid" 2>/dev/null || true)"
        [ -n "$agent_pid" ] && kill -STOP "$agent_pid" 2>/dev/null
        for r in $(seq 1 "$RUNS"); do
            operator POST /robots/default/stream/start > /dev/null
            t0="$(now)"
            floor_publish
            if await_mtx "is publishing to path 'live/stream'" "$t0" 15; then
                mid="$(now)"
                read -r _ t1 ok <<<"$(read_once)"
            else
                mid="-" t1="$(now)" ok=0
            fi
            record "$variant" floor-start "$r" "$t0" "$t1" "$ok" "$mid"
            stop_floor
            sleep 1
        done
        operator POST /robots/default/stream/start > /dev/null
        t0="$(now)"
        floor_publish
        await_mtx "is publishing to path 'live/stream'" "$t0" 15 || log "the floor publisher did not publish"
        sleep 2
        for r in $(seq 1 "$RUNS"); do
            sleep "0.$((RANDOM % 10))"
            read -r t0 t1 ok <<<"$(read_once)"
            record "$variant" floor-live "$r" "$t0" "$t1" "$ok"
        done
        for r in $(seq 1 "$RUNS"); do
            sleep "0.$((RANDOM % 10))"
            read -r t0 t1 ok <<<"$(read_once gstreamer)"
            record "$variant" floor-live-gst "$r" "$t0" "$t1" "$ok"
        done
        stop_floor
        [ -n "$agent_pid" ] && kill -CONT "$agent_pid" 2>/dev/null
    fi
    stop_stack
}

# The Chromium figures: e2e's GoLiveBench (one system of its own; per round a fresh Chromium, Go Live
# on the idle robot, click -> first presented frame by requestVideoFrameCallback) over WebRTC and HLS.
bench_chromium() { # rounds
    local bench="$VIGIL_ROOT/e2e/src/test/java/dev/vigil/e2e/GoLiveBench.java"
    [ -f "$bench" ] || { log "Chromium: no e2e GoLiveBench in this checkout; skipped"; return 0; }
    log "Chromium: Go Live over WebRTC, then over the HLS fallback, $1 rounds each (mvn -pl e2e -am verify)"
    (cd "$VIGIL_ROOT" && mvn_batch -pl e2e -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
        -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=GoLiveBench -Dvigil.bench.rounds="$1" \
        -Dvigil.bench.publish="${BENCH_RELAY_CHROMIUM_PUBLISH:-RTSP}") \
        > "$WORK/e2e.log" 2>&1 || log "the Chromium rounds failed; see $WORK/e2e.log"
    # Failsafe keeps the tests' own log lines in its report folder, not on Maven's output.
    cat "$VIGIL_ROOT/e2e/target/failsafe-reports/dev.vigil.e2e.GoLiveBench-output.txt" "$WORK/e2e.log" 2>/dev/null \
        | grep -o 'go-live-to-first-frame [a-z-]*=[0-9]*ms' \
        | sed 's/go-live-to-first-frame \([a-z-]*\)=\([0-9]*\)ms/\1\t\2/' >> "$WORK/chromium.tsv" || true
}

log "relay bench: $RUNS rounds, variants: $VARIANTS; working folder $WORK"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
for variant in $VARIANTS; do
    bench_variant "$variant"
done
[ "${BENCH_RELAY_CHROMIUM:-0}" -gt 0 ] && bench_chromium "$BENCH_RELAY_CHROMIUM"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

python3 "$HERE/analyze.py" "$WORK" "$HERE/results.md" "$RUNS" "$LOAD_BEFORE" "$LOAD_AFTER" \
    "$(for v in $VARIANTS; do printf '%s ' "${v%%:*}"; done)"
log "wrote $HERE/results.md"
