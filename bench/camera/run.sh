#!/usr/bin/env bash
# Camera figures (issue 10), measured by the agent's CameraBench against a real mosquitto, the real
# MediaMTX ($VIGIL_MEDIAMTX) and the real agent jar publishing the test pattern over RTSP
# (testsrc-rtsp), with the real motioncells (gstreamer1.0-opencv), each beside its floor from the
# same run:
#   - motion -> first frame at a reader: the agent's motion event -> MediaMTX has the stream, and ->
#     the first decoded frame of an RTSP reader (rtspsrc latency=0) launched then; floor: a plain
#     `start` -> the same;
#   - the watcher's CPU (its gst-launch-1.0, over 20 s, watching a still picture at 5 fps, 160x120 and
#     640x480); floor: the same source with no branch; and the agent JVM's own CPU meanwhile;
#   - snapshot latency and size: `snapshot` published -> the JPEG on B/snapshot, at idle (a picture-only
#     pipeline starts), while watching and while streaming.
#   bash bench/camera/run.sh [rounds]      (default 5); writes bench/camera/results.md
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"
install_deps

ROUNDS="${1:-5}"
HERE="$VIGIL_ROOT/bench/camera"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
log "camera bench: $ROUNDS rounds (mvn -pl agent -am verify -Dit.test=CameraBench)"
mvn_batch -pl agent -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=CameraBench -Dvigil.bench.rounds="$ROUNDS" > "$WORK/mvn.log" 2>&1 \
    || { tail -n 40 "$WORK/mvn.log"; die "the camera bench failed; see above"; }
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
# Failsafe keeps the tests' own log lines in its report folder.
cat "$VIGIL_ROOT/agent/target/failsafe-reports/dev.vigil.agent.CameraBench-output.txt" "$WORK/mvn.log" 2>/dev/null \
    | grep -o 'camera-bench [a-z0-9x-]*=[0-9.]*' | sed 's/camera-bench //; s/=/\t/' > "$WORK/figures.tsv"
[ -s "$WORK/figures.tsv" ] || die "the bench printed no figures; see $WORK/mvn.log"

{
    echo "# Camera figures"
    echo
    echo "\`bash bench/camera/run.sh $ROUNDS\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$VIGIL_ROOT" rev-parse --short HEAD),"
    echo "$(nproc) cores, load $LOAD_BEFORE before and $LOAD_AFTER after. Median (min-max) of each figure's rounds."
    echo
    echo "| figure | median | min | max | rounds |"
    echo "|---|---|---|---|---|"
    awk -F'\t' '{ v[$1] = v[$1] " " $2; n[$1]++ } END { for (k in v) print k "\t" n[k] "\t" v[k] }' "$WORK/figures.tsv" | sort \
        | while IFS=$'\t' read -r name count values; do
            sorted="$(tr ' ' '\n' <<<"$values" | grep . | sort -g)"
            median="$(awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }' <<<"$sorted")"
            case "$name" in *cpu*) unit=" %";; *bytes*) unit=" B";; *) unit=" ms";; esac
            echo "| $name | $median$unit | $(head -n1 <<<"$sorted")$unit | $(tail -n1 <<<"$sorted")$unit | $count |"
        done
} > "$HERE/results.md"
log "wrote $HERE/results.md"
cat "$HERE/results.md"
