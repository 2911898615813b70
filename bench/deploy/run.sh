#!/usr/bin/env bash
# Deployment figures: each unit's systemd-analyze security exposure, and the converge time of
# site.yml in a throwaway Debian 12 root (first run, second run), as measured by
# scripts/check-deploy.sh. Writes bench/deploy/results.md.
#   bash bench/deploy/run.sh            # the .debs cached from earlier runs are reused
#   bash bench/deploy/run.sh --cold     # empties the .deb cache first, so the first run downloads
set -uo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

OUT="$VIGIL_ROOT/bench/deploy/results.md"
CACHE="${VIGIL_DEBOOTSTRAP_CACHE:-/var/cache/vigil-debootstrap}"
metrics="$(mktemp)"
trap 'rm -f "$metrics"' EXIT

cache_state="the .debs of earlier runs cached in $CACHE/apt-archives"
if [ "${1:-}" = "--cold" ]; then
    find "$CACHE/apt-archives" -maxdepth 1 -name '*.deb' -delete 2>/dev/null
    cache_state="an empty .deb cache (every package downloaded from deb.debian.org)"
fi

log "running scripts/check-deploy.sh with metrics"
VIGIL_DEPLOY_METRICS="$metrics" bash "$VIGIL_ROOT/scripts/check-deploy.sh" > "$metrics.log" 2>&1
status=$?
get() { sed -n "s/^$1=//p" "$metrics" | tail -n 1; }
summary="$(sed -n 's/^Deployment checks: \(PASS\|FAIL\)$/\1/p' "$metrics.log")"

{
    echo "# Deployment figures"
    echo
    echo "Measured by \`bench/deploy/run.sh\` on $(date -u +%Y-%m-%d) (UTC): $(nproc) cores,"
    echo "$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, $(. /etc/os-release; echo "$PRETTY_NAME"),"
    echo "$(systemd-analyze --version | head -n 1), $(ansible --version | head -n 1)."
    echo "check-deploy.sh result: ${summary:-unknown} (exit $status). Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "(other builds and tests may share the machine; the converge times grow with the load)."
    echo
    echo "## Exposure (\`systemd-analyze security --offline=yes\`, lower is safer)"
    echo
    echo "| unit | exposure | target |"
    echo "|---|---|---|"
    echo "| vigil-agent.service | $(get exposure.vigil-agent.service) | <= 1.5 |"
    echo "| vigil-bridge.service | $(get exposure.vigil-bridge.service) | <= 1.5 |"
    echo "| mediamtx.service | $(get exposure.mediamtx.service) | - |"
    echo "| mosquitto.service (Debian's) + the role's drop-in | $(get 'exposure.mosquitto.service+drop-in') | - (Debian's alone: 9.6) |"
    echo "| systemd-timesyncd.service (reference, from the issue) | 2.3 | - |"
    echo
    echo "## Converge of site.yml in a Debian 12 debootstrap root (chroot connection)"
    echo
    echo "| run | seconds |"
    echo "|---|---|"
    echo "| first (installs mosquitto, GStreamer, OpenJDK 17, users, files) | $(get converge.first.seconds) |"
    echo "| second (must report changed=0) | $(get converge.second.seconds) |"
    [ -n "$(get debootstrap.seconds)" ] && echo "| debootstrap of the root (once, then cached) | $(get debootstrap.seconds) |"
    echo
    echo "The first run used $cache_state; the root itself comes from the debootstrap cache."
    echo "Skipped in the chroot (no running systemd, not in the Debian archive): starting and checking"
    echo "services, the MediaMTX download, the Temurin 21 runtime."
} > "$OUT"
rm -f "$metrics.log"
log "wrote $OUT"
cat "$OUT"
exit "$status"
