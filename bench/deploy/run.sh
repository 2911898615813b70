#!/usr/bin/env bash
# Deployment figures, measured by the two-host deployment test (scripts/check-deploy.sh): the cold and
# the second converge of site.yml on two booted Debian 13 hosts, each unit from `systemctl start` to
# ready, each recovery of the issue's checks, and each unit's exposure score; each figure beside its
# floor where one exists (systemd's RestartSec, a bare JVM's start on the same host, the hosts' boot).
# Writes bench/deploy/results.md.
#   bash bench/deploy/run.sh            # the .debs the hosts downloaded before are reused
#   bash bench/deploy/run.sh --cold     # empties that cache first: every package is downloaded
# Environment: VIGIL_CACHE (default /var/cache/vigil), VIGIL_MEDIAMTX (as for scripts/test.sh).
set -uo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

OUT="$VIGIL_ROOT/bench/deploy/results.md"
CACHE="${VIGIL_CACHE:-/var/cache/vigil}"
metrics="$(mktemp)"
trap 'rm -f "$metrics" "$metrics.log"' EXIT

cache_state="the .debs downloaded by earlier runs (kept in $CACHE/lab-debs)"
if [ "${1:-}" = "--cold" ]; then
    find "$CACHE/lab-debs" -name '*.deb' -delete 2>/dev/null
    cache_state="an empty .deb cache: every package downloaded from the Debian mirror through the lab's proxy"
fi

log "running scripts/check-deploy.sh with metrics"
VIGIL_DEPLOY_METRICS="$metrics" bash "$VIGIL_ROOT/scripts/check-deploy.sh" > "$metrics.log" 2>&1
status=$?
mkdir -p "$VIGIL_ROOT/.run" && cp "$metrics.log" "$VIGIL_ROOT/.run/bench-deploy.log"
get() { sed -n "s/^$1=//p" "$metrics" | tail -n 1; }
summary="$(sed -n 's/^Deployment checks: \(PASS\|FAIL\)$/\1/p' "$metrics.log")"
failed="$(grep -c '^  FAIL' "$metrics.log")"
row() { # label figure floor note
    printf '| %s | %s | %s | %s |\n' "$1" "${2:-n/a}" "${3:--}" "${4:-}"
}

{
    echo "# Deployment figures"
    echo
    echo "Measured by \`bench/deploy/run.sh\` on $(date -u +%Y-%m-%d) (UTC): $(nproc) cores,"
    echo "$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, $(. /etc/os-release; echo "$PRETTY_NAME") as the control machine,"
    echo "two Debian 13 hosts booted in systemd-nspawn, $(ansible --version | head -n 1)."
    echo "check-deploy.sh: ${summary:-unknown} ($failed failed check(s), exit $status). Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "(other builds and tests may share the machine; converge times grow with the load)."
    grep '^  FAIL' "$metrics.log" | sed 's/^  FAIL  /- failed: /'
    echo
    echo "## Converge of site.yml (over SSH, both hosts)"
    echo
    echo "| run | seconds | floor | note |"
    echo "|---|---|---|---|"
    row "hosts: image (bare debootstrap output + systemd, sshd, python3) and boot" "$(get phase.hosts-image-and-boot.seconds)" "-" "boot alone: cloud $(get boot.cloud.seconds) s, robot $(get boot.robot.seconds) s"
    row "first (cold): private CA, then cloud and robot at once" "$(get converge.first.seconds)" "-" "cloud $(get converge.first.cloud.seconds) s, robot $(get converge.first.robot.seconds) s; packages from $cache_state"
    row "second (one command, both hosts; changed=0)" "$(get converge.second.seconds)" "-" ""
    echo
    echo "Where the second converge's time goes, per role (ansible's profile_roles; the two hosts' tasks run at"
    echo "once, so the roles add up to more than the wall time): $(sed -n 's/^converge\.second\.role\.\([a-z_]*\)\.seconds=/\1 /p' "$metrics" \
        | awk '{ printf "%s%s %.1f s", sep, $1, $2; sep = ", " }'). Every task reports ok; the bridge's 70-odd"
    echo "libraries travel as one archive (one checksum over SSH instead of one per file, which took about a"
    echo "minute of each run before)."
    echo
    echo "## Each unit from \`systemctl start\` to ready"
    echo
    echo "| unit | seconds | floor | ready means |"
    echo "|---|---|---|---|"
    row mosquitto "$(get start-to-ready.mosquitto.seconds)" "-" "a TLS subscriber on 8883 reads a retained message"
    row mediamtx "$(get start-to-ready.mediamtx.seconds)" "-" "RTSPS 8322 accepts"
    row vigil-bridge "$(get start-to-ready.vigil-bridge.seconds)" "$(get floor.java-version.cloud.seconds) (java -version)" "/observe/health 200 over HTTPS (MQTT connected)"
    row vigil-agent "$(get start-to-ready.vigil-agent.seconds)" "$(get floor.java-version.robot.seconds) (java -version)" "retained availability 'online' (over MQTT/TLS)"
    echo
    echo "## Recoveries (through the deployed system)"
    echo
    echo "| check | seconds | floor | note |"
    echo "|---|---|---|---|"
    row "HTTPS start ?wait -> 30 frames decoded over RTSPS" "$(get recovery.https-start-to-frames.seconds)" "-" "idle robot, test pattern 320x240@15"
    row "kill -9 vigil-agent -> online again" "$(get recovery.agent-kill-to-online.seconds)" "5 (RestartSec)" "then the next start -> frames: $(get recovery.agent-kill-next-start-to-frames.seconds) s"
    row "kill -9 vigil-bridge -> healthy" "$(get recovery.bridge-kill-to-health.seconds)" "3 (RestartSec)" "robot still streaming, read from retained state"
    row "kill -9 mediamtx -> frames again" "$(get recovery.mediamtx-kill-to-frames.seconds)" "3 (RestartSec)" "the agent republishes by itself"
    row "restart mosquitto -> a command acknowledged through both links" "$(get recovery.mosquitto-restart-to-command.seconds)" "-" ""
    row "reboot the robot host -> agent online and idle" "$(get recovery.robot-reboot-to-online.seconds)" "$(get boot.robot.seconds) (boot)" ""
    row "stop vigil-agent while streaming" "$(get agent-stop-while-streaming.seconds)" "-" "no gst-launch left, 'offline' retained"
    row "broker certificate for another host fixed -> agent connected" "$(get recovery.broker-cert-fixed-to-agent-connected.seconds)" "-" "MQTT reconnect backoff"
    row "... -> bridge healthy (MQTT over TLS to the same broker)" "$(get recovery.broker-cert-fixed-to-bridge-healthy.seconds)" "-" "MQTT reconnect backoff"
    for kind in stranger expired wronghost; do
        row "bad relay certificate ($kind) fixed -> streaming" "$(get "recovery.bad-cert-$kind-fixed-to-streaming.seconds")" "-" "the agent's own retry (backoff)"
    done
    echo
    echo "## Exposure (\`systemd-analyze security --offline=yes\`, lower is safer)"
    echo
    echo "| unit | exposure (offline, systemd/) | as installed on the booted host | target |"
    echo "|---|---|---|---|"
    echo "| vigil-agent.service | $(get exposure.vigil-agent.service) | $(get exposure.installed.vigil-agent) | <= 1.5 |"
    echo "| vigil-bridge.service | $(get exposure.vigil-bridge.service) | $(get exposure.installed.vigil-bridge) | <= 1.1 |"
    echo "| mediamtx.service | $(get exposure.mediamtx.service) | $(get exposure.installed.mediamtx) | <= 1.5 |"
    echo "| mosquitto.service (Debian's) + the role's drop-in | - | $(get exposure.installed.mosquitto) | - (Debian's alone: 9.6) |"
    echo "| systemd-timesyncd.service (reference) | 2.3 | - | - |"
} > "$OUT"
log "wrote $OUT"
cat "$OUT"
exit "$status"
