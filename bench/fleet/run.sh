#!/usr/bin/env bash
# Fleet figures (issue 11): N simulated robots (default 1000) on a real mosquitto, each the agent's
# own MQTT link and supervisor with a fake gst-launch, driven through two real bridge jars (the
# unit's JVM flags) sharing a real PostgreSQL behind a real HAProxy. Every figure is written beside
# its target and a floor measured in the same run.
#   bash bench/fleet/run.sh [robots] [runs]      (defaults 1000, 1); writes bench/fleet/results.md
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"
install_deps
apt_install postgresql haproxy

ROBOTS="${1:-1000}"
RUNS="${2:-1}"
OUT="$VIGIL_ROOT/bench/fleet/results.md"
CPFILE="$(mktemp)"
trap 'rm -f "$CPFILE"' EXIT
(cd "$VIGIL_ROOT" && mvn_batch -q -DskipTests -pl bench/fleet,bridge -am package dependency:build-classpath \
    -Dmdep.outputFile="$CPFILE" -Dmdep.includeScope=runtime)
CP="$VIGIL_ROOT/bench/fleet/target/classes:$(cat "$CPFILE")"
{
    echo "# Fleet figures ($ROBOTS robots, $(date -u +%Y-%m-%d), $(nproc) cores, $(java_release "$JAVA_HOME/bin/java") JDK)"
    echo
} > "$OUT"
for run in $(seq 1 "$RUNS"); do
    log "fleet bench run $run of $RUNS ($ROBOTS robots)"
    # A thousand agents in one JVM: the bench's own heap is not the bridges' (they run the unit's flags).
    "$JAVA_HOME/bin/java" -Xmx2g -cp "$CP" dev.vigil.bench.fleet.FleetBench "$ROBOTS" "$OUT.run$run"
    { echo "## Run $run"; echo; cat "$OUT.run$run"; echo; } >> "$OUT"
    rm -f "$OUT.run$run"
done
log "written: $OUT"
