#!/usr/bin/env bash
# The README's first command, tested as a newcomer meets it (issue 8, item 5).
#
# Runs `scripts/run-local.sh --no-build` in the background as a person would (in its own process
# group, like a terminal's foreground job), on free ports chosen through its variables, and reads
# its printed instructions from its stdout. Then:
#   - runs the printed curl calls: start, the state turns "streaming", stop, the state turns "idle";
#   - runs the printed player command with only the display sink swapped for a frame-counting
#     fakesink (video-sink="fakesink silent=false" -v) and counts decoded frames;
#   - opens the idle robot's RTSP URL with the same player: it must get frames (on demand), and
#     the robot must stop after the player has left;
#   - a wrong viewer password reads nothing; the printed HLS and WebRTC URLs answer;
#   - sends SIGINT to the process group, as Ctrl-C does, and checks that run-local.sh exits 0
#     quietly and that every process it started is gone;
#   - checks that no secret appears in the logs under its folder.
# Prints a PASS/FAIL line per check and exits non-zero if any failed.
#
# Environment: VIGIL_MEDIAMTX (as for run-local.sh); VIGIL_KEEP=1 keeps the work folder.
set -uo pipefail
# These checks send SIGINT, as Ctrl-C does. A caller that ignores it (nohup, or a script's background
# job) hands that on to every child, and bash can neither trap nor reset a signal ignored at its
# entry; run-local.sh would then never see the Ctrl-C. So run once more with the default action.
if [ -z "${VIGIL_SIGINT_DEFAULT:-}" ]; then
    VIGIL_SIGINT_DEFAULT=1 exec env --default-signal=INT,QUIT bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

declare -a SUMMARY=()
FAILED=0
pass() { SUMMARY+=("PASS  $*"); log "PASS: $*"; }
fail() { SUMMARY+=("FAIL  $*"); FAILED=1; printf '%s[vigil] FAIL:%s %s\n' "$VIGIL_RED" "$VIGIL_PLAIN" "$*" >&2; }
summary() {
    echo
    echo "README's first command (scripts/run-local.sh):"
    printf '  %s\n' "${SUMMARY[@]}"
    if [ "$FAILED" -eq 0 ]; then echo "run-local checks: PASS"; else echo "run-local checks: FAIL"; fi
}

WORK="$(mktemp -d /tmp/vigil-check-run-local.XXXXXX)"
RL_PID=""
declare -A SEEN=()
cleanup() {
    # After a failure: its process group, and what it started in sessions of their own (seen so far).
    if [ -n "$RL_PID" ]; then
        kill -0 "$RL_PID" 2>/dev/null && snapshot
        if group_alive; then
            kill -TERM -- "-$RL_PID" 2>/dev/null
            sleep 3
            kill -KILL -- "-$RL_PID" 2>/dev/null
        fi
        for pid in "${!SEEN[@]}"; do
            [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = "${SEEN[$pid]}" ] && kill -KILL "$pid" 2>/dev/null
        done
    fi
    if [ "$FAILED" -ne 0 ] && [ -d "$LOGS" ]; then
        # The logs hold no secret (checked above); keep them where a fresh-root run copies them out.
        rm -rf "$VIGIL_ROOT/.run/check-run-local-logs" && mkdir -p "$VIGIL_ROOT/.run" \
            && cp -r "$LOGS" "$VIGIL_ROOT/.run/check-run-local-logs" && log "logs kept in $VIGIL_ROOT/.run/check-run-local-logs/"
    fi
    if [ "${VIGIL_KEEP:-0}" = 1 ]; then log "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
group_alive() { [ -n "$(ps -e -o pgid= | awk -v g="$RL_PID" '$1 == g')" ]; }

# --- free ports: twelve in a row, free over TCP and UDP ----------------------------------------
base="$(free_port_run 12)" || exit 1
export VIGIL_RTP_PORT=$base BRIDGE_PORT=$((base + 2)) VIGIL_MQTT_PORT=$((base + 3)) VIGIL_RTSP_PORT=$((base + 4)) \
    VIGIL_RTMP_PORT=$((base + 5)) VIGIL_HLS_PORT=$((base + 6)) VIGIL_WEBRTC_PORT=$((base + 7)) \
    VIGIL_WEBRTC_UDP_PORT=$((base + 8)) VIGIL_SRT_PORT=$((base + 9)) VIGIL_MTX_API_PORT=$((base + 10)) \
    VIGIL_PLAYBACK_PORT=$((base + 11))
export VIGIL_LOCAL_DIR="$WORK/local"
LOGS="$VIGIL_LOCAL_DIR/logs"

# --- start it as a person would ----------------------------------------------------------------
log "starting scripts/run-local.sh --no-build (ports $base-$((base + 11)), folder $VIGIL_LOCAL_DIR)"
set -m   # its own process group, as a terminal gives its foreground job (and SIGINT is not ignored)
bash "$VIGIL_ROOT/scripts/run-local.sh" --no-build > "$WORK/stdout" 2> "$WORK/stderr" &
RL_PID=$!
set +m

ready=0
for _ in $(seq 1 360); do
    grep -q 'Press Ctrl-C' "$WORK/stdout" 2>/dev/null && { ready=1; break; }
    kill -0 "$RL_PID" 2>/dev/null || break
    sleep 0.5
done
if [ "$ready" != 1 ]; then
    tail -n 20 "$WORK/stderr" >&2
    fail "run-local.sh printed its instructions (it exited or took more than 180 s)"
    summary
    exit 1
fi
pass "run-local.sh printed its instructions"
help="$(bash "$VIGIL_ROOT/scripts/run-local.sh" --help 2>&1)"
if grep -q 'VIGIL_MTX_API_PORT' <<<"$help" && ! grep -qE 'set -e|^\. |lib\.sh' <<<"$help"; then
    pass "run-local.sh --help lists the ports and variables, and no code"
else
    fail "run-local.sh --help: $(tail -n 2 <<<"$help")"
fi
if grep -q $'\033' "$WORK/stdout" "$WORK/stderr"; then
    fail "run-local.sh wrote raw terminal escapes into files: $(grep -c $'\033' "$WORK/stderr") line(s) of its stderr"
else
    pass "run-local.sh writes no raw terminal escapes when its output is a file"
fi

# --- its printed instructions ------------------------------------------------------------------
out="$(cat "$WORK/stdout")"
page="$(sed -n 's/^ *Open the page: *\(http[^ ]*\).*/\1/p' <<<"$out")"
operator_pw="$(sed -n 's/^ *Sign in as *operator \/ \([^ ]*\).*/\1/p' <<<"$out")"
viewer_pw="$(sed -n 's/^ *or *viewer *\/ \([^ ]*\).*/\1/p' <<<"$out")"
curl_start="$(grep -E '^ +curl .*-X POST .*/stream/start' <<<"$out" | head -n 1 | sed 's/^ *//')"
curl_state="$(grep -E '^ +curl ' <<<"$out" | grep -v -- '-X POST' | head -n 1 | sed 's/^ *//')"
curl_stop="$(grep -E '^ +curl .*-X POST .*/stream/stop' <<<"$out" | head -n 1 | sed 's/^ *//')"
curl_enable="$(grep -E '^ +curl .*-X POST .*/camera/enable' <<<"$out" | head -n 1 | sed 's/^ *//')"
# The player for a machine without a display: it prints what it decodes (fpsdisplaysink, -v).
player="$(grep -E '^ +gst-launch-1.0 -v rtspsrc location=rtsp://.*fakesink' <<<"$out" | head -n 1 | sed 's/^ *//')"
display_player="$(grep -E '^ +gst-launch-1.0 rtspsrc location=rtsp://.*ximagesink' <<<"$out" | head -n 1 | sed 's/^ *//')"
hls_url="$(sed -n 's/^ *HLS *\(http[^ ]*\).*/\1/p' <<<"$out" | head -n 1)"
webrtc_url="$(sed -n 's/^ *WebRTC *\(http[^ ]*\).*/\1/p' <<<"$out" | head -n 1)"
for name in page operator_pw viewer_pw curl_start curl_state curl_stop curl_enable player display_player hls_url webrtc_url; do
    if [ -z "${!name}" ]; then
        printf '%s\n' "$out" >&2
        fail "the instructions name $name"
    fi
done
[ "$FAILED" -eq 0 ] && pass "the instructions name the page, both sign-ins, the start/state/stop/enable curl calls, RTSP player commands (with and without a display), HLS and WebRTC URLs"

# Every process the run started (a descendant of run-local.sh, or in its process group), seen so far.
snapshot() {
    local pid ppid pgid cmd
    local -A children=()
    while read -r pid ppid pgid cmd; do
        children[$ppid]+=" $pid"
        [ "$pgid" = "$RL_PID" ] && SEEN[$pid]="$cmd"
    done < <(ps -e -o pid=,ppid=,pgid=,comm=)
    local queue=("$RL_PID") p c
    while [ "${#queue[@]}" -gt 0 ]; do
        p="${queue[0]}"; queue=("${queue[@]:1}")
        for c in ${children[$p]:-}; do
            SEEN[$c]="$(ps -o comm= -p "$c" 2>/dev/null)"
            queue+=("$c")
        done
    done
}
snapshot

state() { # the robot's state from the printed state call
    bash -c "$curl_state" 2>/dev/null | sed -n 's/.*"state":"\([a-z]*\)".*/\1/p'
}
wait_state() { # wanted seconds -> 0 when reached
    local until=$((SECONDS + $2))
    while [ "$SECONDS" -lt "$until" ]; do
        [ "$(state)" = "$1" ] && return 0
        snapshot
        sleep 0.5
    done
    return 1
}
# The player is stopped with SIGINT, as Ctrl-C in its terminal does (gst-launch then sends TEARDOWN;
# a player killed without it keeps its RTSP-over-UDP session, and the robot streaming, much longer).
# Its output is line-buffered (stdbuf), so that the time to the first frame is not a pipe buffer's.
frames_of() { # seconds, command... -> "<frames fpsdisplaysink says it rendered> <seconds to its first report>"
    local start=$EPOCHREALTIME first="" n=0 line
    while IFS= read -r line; do
        [[ "$line" =~ rendered:\ ([0-9]+) ]] || continue
        n="${BASH_REMATCH[1]}"
        [ -n "$first" ] || first=$EPOCHREALTIME
    done < <(timeout -s INT -k 10 "$1" stdbuf -oL "${@:2}" 2>&1)
    echo "$n $(awk -v a="$start" -v b="${first:-$start}" 'BEGIN { printf "%.2f", b - a }')"
}
# The printed player command for a machine without a display, as printed, or with another URL.
counting_player() { # seconds [uri]
    local cmd="$player"
    [ -n "${2:-}" ] && cmd="$(sed "s|location=rtsp://[^ ]*|location=$2|" <<<"$player")"
    frames_of "$1" bash -c "exec $cmd"
}

# --- the printed curl calls ----------------------------------------------------------------------
reply="$(bash -c "$curl_start" 2>"$WORK/curl.err")"
if grep -q 'Published start' <<<"$reply"; then
    pass "printed start call: $(sed "s/$operator_pw/<password>/" <<<"$curl_start") -> $reply"
else
    fail "printed start call answered: $reply"
fi
t0=$SECONDS
if wait_state streaming 30; then
    pass "printed state call: the state turns 'streaming' ($((SECONDS - t0)) s after the start call)"
else
    fail "printed state call: the state is '$(state)', not 'streaming', 30 s after the start call"
fi

# --- the printed player command ----------------------------------------------------------------
read -r frames first < <(counting_player 10)
if [ "${frames:-0}" -ge 30 ]; then
    pass "printed player command ($(sed "s/$viewer_pw/<password>/" <<<"$player")) decoded $frames frames in 10 s over RTSP (first after $first s)"
else
    tail -n 20 "$LOGS/mediamtx.log" >&2
    fail "printed player command decoded ${frames:-0} frames in 10 s, expected >= 30"
fi
snapshot
wrong_uri="$(sed -n "s/.*location=\(rtsp:[^ ]*\).*/\1/p" <<<"$player" | sed "s/$viewer_pw/wrong-$viewer_pw/")"
read -r frames first < <(counting_player 8 "$wrong_uri")
[ "${frames:-0}" -eq 0 ] && pass "the same player with a wrong viewer password decodes nothing" \
    || fail "the same player with a wrong viewer password decoded $frames frames"

# MediaMTX 1.20 first redirects HLS and WebRTC page requests (?cookieCheck=1, a trailing slash): follow.
code="$(curl -sL --max-time 20 -o "$WORK/hls.m3u8" -w '%{http_code}' -u "viewer:$viewer_pw" "$hls_url")"
if [ "$code" = 200 ] && grep -q '#EXTM3U' "$WORK/hls.m3u8"; then
    pass "printed HLS URL serves a playlist to the viewer"
else
    fail "printed HLS URL answered $code"
fi
code="$(curl -sL --max-time 20 -o /dev/null -w '%{http_code}' "$hls_url")"
[ "$code" = 401 ] && pass "printed HLS URL answers 401 without credentials" || fail "printed HLS URL without credentials answered $code"
code="$(curl -sL --max-time 20 -o "$WORK/webrtc.html" -w '%{http_code}' -u "viewer:$viewer_pw" "$webrtc_url")"
if [ "$code" = 200 ] && grep -qi '<html' "$WORK/webrtc.html"; then
    pass "printed WebRTC URL serves its player page"
else
    fail "printed WebRTC URL answered $code"
fi

reply="$(bash -c "$curl_stop" 2>"$WORK/curl.err")"
grep -q 'Published stop' <<<"$reply" && pass "printed stop call -> $reply" || fail "printed stop call answered: $reply"
t0=$SECONDS
if wait_state idle 30; then
    pass "printed state call: the state turns 'idle' ($((SECONDS - t0)) s after the stop call)"
else
    fail "printed state call: the state is '$(state)', not 'idle', 30 s after the stop call"
fi
# The operator's stop holds: a player on the held robot reads nothing and does not start it.
read -r frames first < <(counting_player 8)
[ "${frames:-0}" -eq 0 ] && [ "$(state)" = idle ] && pass "the operator's stop holds: the printed player decodes nothing and the robot stays idle" \
    || fail "the operator's stop did not hold: the player decoded ${frames:-0} frames, the robot is '$(state)'"
reply="$(bash -c "$curl_enable" 2>"$WORK/curl.err")"
grep -q '"hold":"none"' <<<"$reply" && pass "printed enable call puts the robot back to on demand -> $reply" \
    || fail "printed enable call answered: $reply"

# --- on demand: a player opening the idle robot's URL ------------------------------------------
# The relay settles first: a hook that an earlier reader started ends runOnDemandCloseAfter after it
# left. (A reader that arrives while MediaMTX is ending that hook can be left waiting; see the report.)
mediamtx_pid="$(cat "$VIGIL_LOCAL_DIR/mediamtx.pid" 2>/dev/null)"
for _ in $(seq 1 40); do
    pgrep -P "${mediamtx_pid:-0}" -x vigil-on-demand >/dev/null || break
    sleep 0.5
done
# The player runs in the foreground: a background job of a script has SIGINT ignored, and a player
# that cannot be interrupted dies without its TEARDOWN.
(for _ in $(seq 1 40); do [ "$(state)" = streaming ] && { echo 1 > "$WORK/streamed"; break; }; sleep 0.5; done) &
poller=$!
read -r frames first < <(counting_player 15)
kill "$poller" 2>/dev/null; wait "$poller" 2>/dev/null
streamed="$(cat "$WORK/streamed" 2>/dev/null || echo 0)"
snapshot
if [ "${frames:-0}" -ge 30 ] && [ "$streamed" = 1 ]; then
    pass "on demand: the printed player command on the idle robot started it and decoded $frames frames in 15 s (first after $first s)"
else
    tail -n 20 "$LOGS/mediamtx.log" >&2
    fail "on demand: the player on the idle robot decoded ${frames:-0} frames (robot seen streaming: $streamed)"
fi
t0=$SECONDS
if wait_state idle 40; then
    pass "on demand: the robot is idle $((SECONDS - t0)) s after the player left (relay close-after + bridge linger)"
else
    fail "on demand: the robot is '$(state)' 40 s after the player left"
fi

# --- secrets in the logs -----------------------------------------------------------------------
secrets=("$operator_pw" "$viewer_pw")
secrets+=("$(cat "$VIGIL_LOCAL_DIR/bridge-token" 2>/dev/null)")
secrets+=($(sed -n 's/.*password = "\([^"]*\)".*/\1/p; s/.*publish-secret = "\([^"]*\)".*/\1/p' "$VIGIL_LOCAL_DIR/bridge.conf" 2>/dev/null))
agent_pid="$(cat "$VIGIL_LOCAL_DIR/agent.pid" 2>/dev/null)"
secrets+=($(tr '\0' '\n' < "/proc/$agent_pid/environ" 2>/dev/null | sed -n 's/^\(MQTT_PASS\|MEDIA_PUBLISH_PASS\)=//p'))

# --- Ctrl-C --------------------------------------------------------------------------------------
snapshot
log "sending SIGINT to run-local.sh's process group (${#SEEN[@]} processes seen: $(printf '%s\n' "${SEEN[@]}" | sort | uniq -c | awk '{printf "%s%s×%s", sep, $2, $1; sep=", "}'))"
: > "$WORK/stderr.before"; cp "$WORK/stderr" "$WORK/stderr.before"
t0=$SECONDS
kill -INT -- "-$RL_PID"
rc=""
for _ in $(seq 1 300); do
    kill -0 "$RL_PID" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$RL_PID" 2>/dev/null; then
    fail "Ctrl-C: run-local.sh still runs 30 s after SIGINT"
else
    wait "$RL_PID"; rc=$?
    after="$(diff "$WORK/stderr.before" "$WORK/stderr" | sed -n 's/^> //p')"
    if [ "$rc" = 0 ] && ! grep -qiE 'error|exited|terminated|killed|exception' <<<"$after"; then
        pass "Ctrl-C: run-local.sh exits 0 within $((SECONDS - t0)) s and quietly (printed: $(tr '\n' ' ' <<<"$after" | sed 's/\x1b\[[0-9;]*m//g'))"
    else
        fail "Ctrl-C: run-local.sh exited $rc and printed: $after"
    fi
fi
sleep 1
left=()
for pid in "${!SEEN[@]}"; do
    if kill -0 "$pid" 2>/dev/null && [ "$(ps -o comm= -p "$pid" 2>/dev/null)" = "${SEEN[$pid]}" ]; then
        left+=("$pid(${SEEN[$pid]})")
    fi
done
if [ "${#left[@]}" -eq 0 ] && ! group_alive; then
    pass "Ctrl-C: every process it started is gone (${#SEEN[@]} seen: $(printf '%s\n' "${SEEN[@]}" | sort -u | grep . | tr '\n' ' '))"
else
    fail "Ctrl-C: still running: ${left[*]} $(ps -e -o pid=,pgid=,comm= | awk -v g="$RL_PID" '$2 == g')"
fi

leaks=()
for s in "${secrets[@]}"; do
    [ -n "$s" ] && [ "${#s}" -ge 8 ] || continue
    grep -rqF -- "$s" "$LOGS" && leaks+=("$(grep -rlF -- "$s" "$LOGS" | xargs -n1 basename | tr '\n' ' ')")
done
if [ "${#leaks[@]}" -eq 0 ]; then
    pass "no secret in the logs ($(ls "$LOGS" | tr '\n' ' '); ${#secrets[@]} secrets checked: passwords, hook token, MQTT and publish secrets)"
else
    fail "a secret appears in: ${leaks[*]}"
fi
summary
exit "$FAILED"
