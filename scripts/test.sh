#!/usr/bin/env bash
# The README's second command: installs what the tests need, then runs every test against real
# processes (mosquitto, gst-launch-1.0, nginx-rtmp, the agent and bridge jars, Chromium), then the
# deployment checks (ansible-lint, systemd-analyze, a converge test in a debootstrap root).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

install_deps
apt_install chromium chromium-driver

status=0
log "building and running the Java tests (unit, then integration against real processes)"
mvn_batch verify || status=$?

# One closing line over every module's surefire and failsafe reports.
passed=0 failed=0 skipped=0
while IFS= read -r report; do
    line="$(grep -m1 -o '<testsuite [^>]*>' "$report" || true)"
    [ -n "$line" ] || continue
    tests="$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$line")"
    failures="$(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<<"$line")"
    errors="$(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<<"$line")"
    skips="$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$line")"
    failed=$((failed + ${failures:-0} + ${errors:-0}))
    skipped=$((skipped + ${skips:-0}))
    passed=$((passed + ${tests:-0} - ${failures:-0} - ${errors:-0} - ${skips:-0}))
done < <(find "$VIGIL_ROOT" -path '*/target/*-reports/TEST-*.xml' 2>/dev/null)

log "running the README's first command end to end (scripts/run-local.sh --smoke)"
# Other ports than the defaults, so that a run-local.sh someone left running does not collide.
VIGIL_MQTT_PORT=21884 VIGIL_RTMP_PORT=21935 VIGIL_HLS_PORT=28080 BRIDGE_PORT=28000 VIGIL_CALLBACK_PORT=28001 \
    bash "$VIGIL_ROOT/scripts/run-local.sh" --smoke --no-build || status=$?

log "running the deployment checks"
bash "$VIGIL_ROOT/scripts/check-deploy.sh" || status=$?

echo "Tests: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && log "all tests passed" || log "some tests failed (exit $status)"
exit "$status"
