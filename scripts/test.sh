#!/usr/bin/env bash
# The README's second command: every test of Vigil.
#
#   scripts/test.sh          in a brand-new Debian 13 root (debootstrap --variant=minbase): runs the
#                            README's install step there (scripts/install-deps.sh), then builds and
#                            runs every test inside it. This is what CI runs (.ci/run).
#   scripts/test.sh --here   every test directly on this machine: quicker, but a package that this
#                            machine already holds can hide one that the install step forgets.
#
# The tests: the unit and integration tests of every module against real processes (mosquitto,
# gst-launch-1.0, MediaMTX, the agent and bridge jars, headless Chromium), the README's first command
# run as a newcomer would, and the deployment checks (ansible-lint, systemd-analyze, and a real deployment
# on two booted Debian 13 hosts, see scripts/check-deploy.sh).
# The last line is "Tests: N passed, N failed, N skipped".
#
# Environment: VIGIL_MEDIAMTX (the relay binary; else the pinned release is downloaded), VIGIL_CACHE
# (what a fresh root may reuse, default /var/cache/vigil; see scripts/fresh-root.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

here=false
for arg in "$@"; do
    case "$arg" in
        --here) here=true ;;
        -h|--help) awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; exit 0 ;;
        *) die "unknown option '$arg' (try --help)" ;;
    esac
done

SUMMARY_FILE="$VIGIL_ROOT/.run/test-summary"

if ! $here; then
    . "$VIGIL_ROOT/scripts/fresh-root.sh"
    trap fresh_root_destroy EXIT
    trap 'exit 130' INT TERM
    started=$SECONDS
    fresh_root_create
    root_ready=$SECONDS
    log "in the fresh root: the README's install step, scripts/install-deps.sh"
    status=0
    fresh_root_run bash scripts/install-deps.sh || status=$?
    installed=$SECONDS
    if [ "$status" -eq 0 ]; then
        log "in the fresh root: scripts/test.sh --here"
        fresh_root_run bash scripts/test.sh --here || status=$?
    else
        log "the install step failed (exit $status); no test ran"
    fi
    finished=$SECONDS
    # Keep the reports and logs of the run beside the project, for a look after the root is gone.
    rm -rf "$VIGIL_ROOT/.run/fresh-root" && mkdir -p "$VIGIL_ROOT/.run/fresh-root"
    (cd "$FRESH_ROOT$FRESH_PROJECT" && find . \( -path '*/target/*-reports' -o -path '*/target/testkit-logs' \
        -o -path '*/target/e2e-*' -o -path ./.run \) -prune -print0 2>/dev/null | tar --null -T - -cf - 2>/dev/null) \
        | tar -C "$VIGIL_ROOT/.run/fresh-root" -xf - 2>/dev/null || true
    summary="$(cat "$FRESH_ROOT$FRESH_PROJECT/.run/test-summary" 2>/dev/null || echo "Tests: 0 passed, 1 failed, 0 skipped")"
    fresh_root_destroy
    log "reports and logs of the run: $VIGIL_ROOT/.run/fresh-root/"
    log "time: $((finished - started)) s in all; set-up $((installed - started)) s (root $((root_ready - started)) s, install step $((installed - root_ready)) s), tests $((finished - installed)) s"
    echo "$summary"
    exit "$status"
fi

install_deps
install_test_deps

status=0
log "building and running the Java tests of every module (unit, then integration against real processes)"
# A failing test does not stop the build, so every module's tests run and are counted below; a
# module that does not compile stops only the modules that need it (-fae).
mvn_batch -fae -Dmaven.test.failure.ignore=true verify || status=$?

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
    if [ $((${failures:-0} + ${errors:-0})) -gt 0 ]; then
        log "FAILED: $(sed -n 's/.* name="\([^"]*\)".*/\1/p' <<<"$line") (${report#"$VIGIL_ROOT"/})"
    fi
done < <(find "$VIGIL_ROOT" -path '*/target/*-reports/TEST-*.xml' 2>/dev/null)
# A module with tests that left no report did not run them (it did not build, or its JVM died).
for module in "$VIGIL_ROOT"/*/src/test/java; do
    module="${module%/src/test/java}"
    if [ -z "$(find "$module/target" -path '*-reports/TEST-*.xml' -print -quit 2>/dev/null)" ]; then
        log "FAILED: module $(basename "$module") ran no test"
        failed=$((failed + 1))
    fi
done
[ "$failed" -eq 0 ] || status=1

log "running the README's first command as a newcomer would (scripts/check-run-local.sh)"
if bash "$VIGIL_ROOT/scripts/check-run-local.sh"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi

log "running the deployment checks"
if bash "$VIGIL_ROOT/scripts/check-deploy.sh"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi

mkdir -p "$(dirname "$SUMMARY_FILE")"
echo "Tests: $passed passed, $failed failed, $skipped skipped" | tee "$SUMMARY_FILE"
[ "$status" -eq 0 ] && log "all tests passed" || log "some tests failed (exit $status)"
exit "$status"
