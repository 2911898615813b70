#!/usr/bin/env bash
# Deployment checks (part of the README's test command; CI runs them on a fresh Debian 12 root machine):
#   1. ansible-lint (production profile) and ansible-playbook --syntax-check
#   2. systemd-analyze verify on each unit of systemd/ (in a temporary root, see below)
#   3. systemd-analyze security --offline=yes: each unit's exposure; vigil-agent and vigil-bridge <= 1.5
#   4. converge: site.yml applied twice to a throwaway Debian 12 root (debootstrap, cached) over the
#      community.general.chroot connection; the second run must report changed=0
#   5. the REAL mosquitto from the rendered config, started inside that root on a free loopback port:
#      anonymous refused, a robot reads only its own command topic, the bridge publishes commands
#   6. the real bridge and agent from their rendered configs, and the real MediaMTX (installed by the
#      role from VIGIL_MEDIAMTX) from the rendered mediamtx.yml on free loopback ports: it starts,
#      a publish or a read without credentials is refused by the bridge, and robot-1's agent,
#      started through the bridge, publishes with its token and is read back over RTSP
# Prints a PASS/FAIL line per check and exits non-zero if any failed.
#
# Environment:
#   VIGIL_DEBOOTSTRAP_CACHE  where the pristine root and the downloaded .debs are kept
#                            (default /var/cache/vigil-debootstrap; delete it to start from scratch)
#   VIGIL_DEBIAN_MIRROR      Debian mirror for debootstrap (default http://deb.debian.org/debian)
#   VIGIL_SKIP_CONVERGE=1    run only checks 1-3 (no root needed)
#   VIGIL_DEPLOY_METRICS     if set, a file that receives key=value lines (scores, converge times)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

ANSIBLE_DIR="$VIGIL_ROOT/ansible"
UNITS_DIR="$VIGIL_ROOT/systemd"
CACHE="${VIGIL_DEBOOTSTRAP_CACHE:-/var/cache/vigil-debootstrap}"
MIRROR="${VIGIL_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Bump when the include list changes, so that an old cached root is not reused.
ROOT_FLAVOUR="bookworm-minbase-v1"
ROOT_INCLUDES="python3,python3-apt,systemd,ca-certificates"
METRICS="${VIGIL_DEPLOY_METRICS:-/dev/null}"
# Exposure targets (systemd-analyze security, lower is better).
declare -A EXPOSURE_TARGET=([vigil-agent.service]=1.5 [vigil-bridge.service]=1.5 [mediamtx.service]=1.5)

declare -a SUMMARY=()
FAILED=0
pass() { SUMMARY+=("PASS  $*"); log "PASS: $*"; }
fail() { SUMMARY+=("FAIL  $*"); FAILED=1; printf '\033[1;31m[vigil] FAIL:\033[0m %s\n' "$*" >&2; }
skip() { SUMMARY+=("SKIP  $*"); log "SKIP: $*"; }
metric() { echo "$1=$2" >> "$METRICS"; }

WORK=""
MOSQUITTO_PID=""
BRIDGE_PID=""
AGENT_PID=""
MEDIAMTX_PID=""
cleanup() {
    if [ -n "$MEDIAMTX_PID" ] && kill -0 "$MEDIAMTX_PID" 2>/dev/null; then
        kill "$MEDIAMTX_PID" 2>/dev/null
        wait "$MEDIAMTX_PID" 2>/dev/null
    fi
    if [ -n "$AGENT_PID" ] && kill -0 "$AGENT_PID" 2>/dev/null; then
        kill -KILL "$AGENT_PID" 2>/dev/null
        wait "$AGENT_PID" 2>/dev/null
    fi
    if [ -n "$BRIDGE_PID" ] && kill -0 "$BRIDGE_PID" 2>/dev/null; then
        kill "$BRIDGE_PID" 2>/dev/null
        wait "$BRIDGE_PID" 2>/dev/null
    fi
    if [ -n "$MOSQUITTO_PID" ] && kill -0 "$MOSQUITTO_PID" 2>/dev/null; then
        kill "$MOSQUITTO_PID" 2>/dev/null
        wait "$MOSQUITTO_PID" 2>/dev/null
    fi
    if [ -n "$WORK" ] && [ -d "$WORK" ]; then
        local m
        for m in var/cache/apt/archives dev proc; do
            mountpoint -q "$WORK/root/$m" 2>/dev/null && umount -l "$WORK/root/$m"
        done
        rm -rf --one-file-system "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools ------------------------------------------------------------------------------------
# The install step's lists (scripts/lib.sh) are the only place packages are named, so that a test
# run proves them: the JDK and mosquitto-clients, ansible, ansible-lint, systemd and debootstrap,
# and the relay binary that the role installs into the root (mediamtx_local_binary).
install_deps
install_test_deps
if ! ansible-galaxy collection list community.general 2>/dev/null | grep -q community.general; then
    die "the Ansible collection community.general is missing (Debian's ansible package ships it)"
fi

# --- 1. lint and syntax -----------------------------------------------------------------------
log "ansible-lint --profile production"
if lint_out="$(cd "$ANSIBLE_DIR" && ansible-lint --profile production --nocolor -p 2>&1)"; then
    pass "ansible-lint (production profile): $(tail -n 1 <<<"$lint_out")"
else
    printf '%s\n' "$lint_out" >&2
    fail "ansible-lint (production profile)"
fi

log "ansible-playbook --syntax-check"
if syntax_out="$(cd "$ANSIBLE_DIR" && ansible-playbook -i inventory/hosts.example.yml --syntax-check site.yml 2>&1)"; then
    pass "ansible-playbook --syntax-check site.yml"
else
    printf '%s\n' "$syntax_out" >&2
    fail "ansible-playbook --syntax-check site.yml"
fi

# --- 2. systemd-analyze verify ----------------------------------------------------------------
# The units name binaries this machine need not have (the JRE symlink, MediaMTX). They are verified
# in a temporary root made of this machine's own systemd units (sysinit.target and the rest),
# the units under test, and a stub executable (#!/bin/sh exit 0) for each Exec*= command that the
# temporary root lacks. Any output of verify (unknown key, bad value, missing dependency) fails.
verify_units() {
    local vroot unit cmd out status=0 stubs=()
    vroot="$(mktemp -d)"
    mkdir -p "$vroot/usr/lib/systemd" "$vroot/etc/systemd/system"
    cp -a /usr/lib/systemd/system "$vroot/usr/lib/systemd/"
    cp "$UNITS_DIR"/*.service "$vroot/etc/systemd/system/"
    while read -r cmd; do
        [ -e "$vroot$cmd" ] && continue
        mkdir -p "$vroot$(dirname "$cmd")"
        printf '#!/bin/sh\nexit 0\n' > "$vroot$cmd"
        chmod 755 "$vroot$cmd"
        stubs+=("$cmd")
    done < <(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\(\/[^ ]*\).*/\1/p' "$UNITS_DIR"/*.service | sort -u)
    log "systemd-analyze verify in a temporary root; stub executables: ${stubs[*]}"
    for unit in "$UNITS_DIR"/*.service; do
        unit="$(basename "$unit")"
        out="$(systemd-analyze verify --man=no --root="$vroot" "$unit" 2>&1)" || status=1
        if [ -n "$out" ] || [ "$status" -ne 0 ]; then
            printf '%s\n' "$out" >&2
            fail "systemd-analyze verify $unit"
        else
            pass "systemd-analyze verify $unit (stubs for absent binaries: ${stubs[*]})"
        fi
        status=0
    done
    rm -rf "$vroot"
}
verify_units

# --- 3. systemd-analyze security --------------------------------------------------------------
for unit_path in "$UNITS_DIR"/*.service; do
    unit="$(basename "$unit_path")"
    score="$(systemd-analyze security --offline=yes --no-pager "$unit_path" 2>/dev/null \
        | sed -n 's/^→ Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')"
    if [ -z "$score" ]; then
        fail "systemd-analyze security $unit: no score"
        continue
    fi
    metric "exposure.$unit" "$score"
    target="${EXPOSURE_TARGET[$unit]:-10}"
    if awk -v s="$score" -v t="$target" 'BEGIN { exit !(s <= t) }'; then
        pass "exposure $unit = $score (target <= $target)"
    else
        fail "exposure $unit = $score (target <= $target)"
    fi
done

# --- 4. converge in a debootstrap root --------------------------------------------------------
print_summary() {
    echo
    echo "Deployment checks:"
    printf '  %s\n' "${SUMMARY[@]}"
    if [ "$FAILED" -eq 0 ]; then echo "Deployment checks: PASS"; else echo "Deployment checks: FAIL"; fi
}

if [ "${VIGIL_SKIP_CONVERGE:-0}" = 1 ]; then
    skip "converge and broker checks (VIGIL_SKIP_CONVERGE=1)"
    print_summary
    exit "$FAILED"
fi
[ "$(id -u)" -eq 0 ] || die "the converge test needs root (debootstrap, chroot, mount); VIGIL_SKIP_CONVERGE=1 skips it"

# The pristine root is made once and kept under $CACHE; each run works on a copy.
prepare_cached_root() {
    local pristine="$CACHE/$ROOT_FLAVOUR"
    mkdir -p "$CACHE/apt-archives/partial"
    if [ -f "$pristine/.vigil-root-complete" ]; then
        log "using the cached Debian 12 root $pristine"
        return 0
    fi
    log "debootstrap: a minimal Debian 12 root in $pristine (once; cached for later runs)"
    rm -rf --one-file-system "$pristine.partial"
    local started=$SECONDS
    if ! debootstrap --variant=minbase --include="$ROOT_INCLUDES" --cache-dir="$CACHE/apt-archives" \
            bookworm "$pristine.partial" "$MIRROR" > "$CACHE/debootstrap.log" 2>&1; then
        tail -n 20 "$CACHE/debootstrap.log" >&2
        return 1
    fi
    touch "$pristine.partial/.vigil-root-complete"
    mv "$pristine.partial" "$pristine"
    metric "debootstrap.seconds" "$((SECONDS - started))"
}

mkdir -p "$(dirname "$CACHE")"
exec 9> "$CACHE.lock"
flock 9
if ! prepare_cached_root; then
    fail "debootstrap a Debian 12 root (see $CACHE/debootstrap.log)"
    print_summary
    exit 1
fi

WORK="$(mktemp -d /var/tmp/vigil-converge.XXXXXX)"
ROOTFS="$WORK/root"
cp -a "$CACHE/$ROOT_FLAVOUR" "$ROOTFS"
# No maintainer script may start a daemon inside the chroot.
printf '#!/bin/sh\nexit 101\n' > "$ROOTFS/usr/sbin/policy-rc.d"
chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
mount -t proc proc "$ROOTFS/proc"
mount --bind /dev "$ROOTFS/dev"
# Downloaded .debs are kept between runs.
mount --bind "$CACHE/apt-archives" "$ROOTFS/var/cache/apt/archives"

# Ten free ports in a row (TCP and UDP): the broker, the bridge and MediaMTX's listeners.
base="$(free_port_run)" || exit 1
MTX_RTP_PORT=$base MQTT_PORT=$((base + 2)) BRIDGE_CHECK_PORT=$((base + 3)) MTX_RTSP_PORT=$((base + 4))
MTX_RTMP_PORT=$((base + 5)) MTX_HLS_PORT=$((base + 6)) MTX_WEBRTC_PORT=$((base + 7)) MTX_WEBRTC_UDP_PORT=$((base + 8))
MTX_SRT_PORT=$((base + 9))

# Test secrets: random for this run; the robots' passwords are what the broker checks below.
rand() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }
BRIDGE_PW="$(rand)" R1_PW="$(rand)" R2_PW="$(rand)" ALICE_PW="$(rand)"
cat > "$WORK/inventory.yml" <<EOF
all:
  children:
    cloud:
      hosts:
        vigil-root:
          ansible_connection: community.general.chroot
          ansible_host: $ROOTFS
    robots:
      hosts:
        vigil-root:
          vigil_robot_id: robot-1
        # A second robot that is never configured here (--limit), so the ACL has two robots.
        robot-2-elsewhere:
          ansible_host: 192.0.2.2
          vigil_robot_id: robot-2
EOF
cat > "$WORK/vars.yml" <<EOF
vault_mqtt_bridge_password: "$BRIDGE_PW"
vault_robots:
  robot-1: {mqtt_password: "$R1_PW", publish_secret: "$(rand)"}
  robot-2: {mqtt_password: "$R2_PW", publish_secret: "$(rand)"}
vault_bridge_users:
  alice: {password_hash: "sha256\$$(printf %s "$ALICE_PW" | sha256sum | cut -c1-64)", role: operator}
vault_bridge_tokens:
  mediamtx-hook: {token: "$(rand)", role: viewer}
vigil_public_host: 127.0.0.1
vigil_mqtt_port: $MQTT_PORT
mosquitto_bind_address: 127.0.0.1
# No running systemd in a chroot: units are installed, not enabled, started or checked.
vigil_manage_services: false
# Not in the Debian archive: the MediaMTX release (the role installs the local binary instead) and
# a Java 21 for Debian 12.
mediamtx_local_binary: $VIGIL_MEDIAMTX
bridge_java_source: none
# MediaMTX on free loopback ports, asking the bridge that the checks below start on its own port.
mediamtx_bind_address: 127.0.0.1
mediamtx_rtsp_port: $MTX_RTSP_PORT
mediamtx_rtp_port: $MTX_RTP_PORT
mediamtx_rtmp_port: $MTX_RTMP_PORT
mediamtx_hls_port: $MTX_HLS_PORT
mediamtx_webrtc_port: $MTX_WEBRTC_PORT
mediamtx_webrtc_udp_port: $MTX_WEBRTC_UDP_PORT
mediamtx_srt_port: $MTX_SRT_PORT
mediamtx_metrics: false
mediamtx_auth_url: http://127.0.0.1:$BRIDGE_CHECK_PORT/relay/auth
mediamtx_bridge_url: http://127.0.0.1:$BRIDGE_CHECK_PORT
bridge_java_home: /usr/lib/jvm/temurin-21-jre-amd64
EOF
chmod 600 "$WORK/vars.yml"

# A snapshot of the built artifacts, so that a rebuild during the test cannot look like a change.
mkdir -p "$WORK/artifacts"
cp "$VIGIL_ROOT/agent/target/vigil-agent.jar" "$VIGIL_ROOT/bridge/target/vigil-bridge.jar" "$WORK/artifacts/" 2>/dev/null
[ -d "$VIGIL_ROOT/bridge/target/libs" ] && cp -r "$VIGIL_ROOT/bridge/target/libs" "$WORK/artifacts/libs"
cat >> "$WORK/vars.yml" <<EOF
agent_jar_src: $WORK/artifacts/vigil-agent.jar
bridge_jar_src: $WORK/artifacts/vigil-bridge.jar
bridge_libs_src: $WORK/artifacts/libs/
EOF

SKIP_TAGS=()
skipped=("starting, enabling and checking services (vigil_manage_services=false: no running systemd in a chroot)"
         "MediaMTX download (not in the Debian archive: mediamtx_local_binary=$VIGIL_MEDIAMTX, checked for v$MEDIAMTX_VERSION)"
         "Java 21 for the bridge (bridge_java_source=none: Debian 12 has none; Adoptium is outside the Debian archive)")
if [ ! -f "$WORK/artifacts/vigil-agent.jar" ] || [ ! -f "$WORK/artifacts/vigil-bridge.jar" ] \
        || [ ! -d "$WORK/artifacts/libs" ]; then
    SKIP_TAGS+=(vigil_artifacts)
    skipped+=("installing the jars (tag vigil_artifacts: agent/target/vigil-agent.jar or bridge/target/vigil-bridge.jar + libs/ not built)")
fi
log "converge: skipped in the chroot:"
for s in "${skipped[@]}"; do log "  - $s"; done

converge() { # $1 = log file; prints the recap's changed count, returns the playbook's status
    local skip_arg=()
    [ "${#SKIP_TAGS[@]}" -gt 0 ] && skip_arg=(--skip-tags "$(IFS=,; echo "${SKIP_TAGS[*]}")")
    (cd "$ANSIBLE_DIR" && ANSIBLE_NOCOLOR=1 ansible-playbook -i "$WORK/inventory.yml" \
        --limit vigil-root -e "@$WORK/vars.yml" "${skip_arg[@]}" site.yml) > "$1" 2>&1
}
recap() { sed -n "s/^vigil-root *: .*$1=\([0-9]*\).*/\1/p" "$2" | tail -n 1; }

started=$SECONDS
log "converge: first run of site.yml (log: $WORK/converge-1.log)"
if converge "$WORK/converge-1.log"; then
    first=$((SECONDS - started))
    metric "converge.first.seconds" "$first"
    pass "converge: first run of site.yml in the Debian 12 root (changed=$(recap changed "$WORK/converge-1.log"), ${first}s)"
    started=$SECONDS
    if converge "$WORK/converge-2.log"; then
        second=$((SECONDS - started))
        metric "converge.second.seconds" "$second"
        changed="$(recap changed "$WORK/converge-2.log")"
        if [ "$changed" = 0 ]; then
            pass "converge: second run reports changed=0 (${second}s)"
        else
            grep -E '^changed:' "$WORK/converge-2.log" >&2
            fail "converge: second run reports changed=${changed:-?}, expected 0"
        fi
    else
        tail -n 40 "$WORK/converge-2.log" >&2
        fail "converge: second run of site.yml failed"
    fi
else
    tail -n 40 "$WORK/converge-1.log" >&2
    fail "converge: first run of site.yml failed"
fi

mkdir -p "$CACHE/logs"
cp "$WORK"/converge-*.log "$CACHE/logs/" 2>/dev/null && log "converge logs kept in $CACHE/logs/"

# The roles install the repository's unit files verbatim, so the two cannot drift.
for unit in vigil-agent.service vigil-bridge.service mediamtx.service; do
    if cmp -s "$UNITS_DIR/$unit" "$ROOTFS/etc/systemd/system/$unit"; then
        pass "installed $unit is identical to systemd/$unit"
    else
        fail "installed $unit differs from systemd/$unit (or is missing)"
    fi
done
# The rendered config holds what Vigil relies on: valid YAML, auth by the bridge with nothing
# excluded, the robots' paths with the hook, MoQ off. (The real binary runs it below.)
if mtx_out="$(/usr/bin/python3 - "$ROOTFS/etc/mediamtx/mediamtx.yml" 2>&1 <<'PY'
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
problems = []
if c.get("authMethod") != "http": problems.append("authMethod is not http")
if not str(c.get("authHTTPAddress", "")).endswith("/relay/auth"): problems.append("authHTTPAddress is not the bridge's /relay/auth")
if not str(c.get("metricsAddress", "")).startswith("127.0.0.1:"): problems.append("metrics not on loopback")
if c.get("authHTTPExclude") != []: problems.append("authHTTPExclude is not [] (the bridge decides api, metrics, pprof)")
if c.get("moq") is not False: problems.append("moq is not off")
for old in ("runOnReady", "runOnNotReady"):
    if any(old in (p or {}) for p in (c.get("paths") or {}).values()): problems.append(old + " is deprecated in 1.20")
p = (c.get("paths") or {}).get("live/robot-1") or {}
if p.get("runOnDemand") != "/usr/local/lib/vigil/vigil-on-demand": problems.append("live/robot-1 has no runOnDemand hook")
if "live/robot-2" not in (c.get("paths") or {}): problems.append("live/robot-2 is missing")
print("; ".join(problems))
sys.exit(1 if problems else 0)
PY
)"; then
    pass "rendered mediamtx.yml: authMethod http -> the bridge, authHTTPExclude [], live/robot-1 and live/robot-2 with the runOnDemand hook, MoQ off"
else
    fail "rendered mediamtx.yml: $mtx_out"
fi
if [ -f "$ROOTFS/etc/systemd/system/mosquitto.service.d/vigil-hardening.conf" ]; then
    score="$(systemd-analyze security --offline=yes --no-pager --root="$ROOTFS" mosquitto.service 2>/dev/null \
        | sed -n 's/^→ Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')"
    metric "exposure.mosquitto.service+drop-in" "${score:-?}"
    log "exposure of Debian's mosquitto.service with the role's drop-in: ${score:-?} (Debian's alone: 9.6)"
fi

# --- 5. the real broker from the rendered config ----------------------------------------------
broker_checks() {
    local conf="$ROOTFS/etc/mosquitto/conf.d/vigil.conf" out h=(-h 127.0.0.1 -p "$MQTT_PORT")
    [ -f "$conf" ] || { fail "broker: $conf was not rendered"; return; }
    # What Debian's unit does before starting the broker.
    chroot "$ROOTFS" sh -c 'mkdir -p -m 740 /run/mosquitto /var/log/mosquitto && chown mosquitto /run/mosquitto /var/log/mosquitto'
    chroot "$ROOTFS" /usr/sbin/mosquitto -c /etc/mosquitto/mosquitto.conf > "$WORK/mosquitto.out" 2>&1 &
    MOSQUITTO_PID=$!
    local up=0
    for _ in $(seq 1 50); do
        if ! port_free "$MQTT_PORT"; then up=1; break; fi
        kill -0 "$MOSQUITTO_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ "$up" -ne 1 ]; then
        cat "$WORK/mosquitto.out" "$ROOTFS/var/log/mosquitto/mosquitto.log" 2>/dev/null | tail -n 20 >&2
        fail "broker: mosquitto from the rendered config did not listen on 127.0.0.1:$MQTT_PORT"
        return
    fi
    pass "broker: the chroot's mosquitto runs the rendered config on 127.0.0.1:$MQTT_PORT"
    sub() { # user password topic -> the first message within 3 s, or nothing
        mosquitto_sub "${h[@]}" -u "$1" -P "$2" -t "$3" -C 1 -W 3 2>/dev/null
    }

    if mosquitto_pub "${h[@]}" -t robots/robot-1/stream -m start 2>/dev/null; then
        fail "broker: an anonymous client could publish"
    else
        pass "broker: anonymous publish refused"
    fi
    if mosquitto_sub "${h[@]}" -t '#' -C 1 -W 2 >/dev/null 2>&1; then
        fail "broker: an anonymous client could subscribe"
    else
        pass "broker: anonymous subscribe refused"
    fi
    if mosquitto_pub "${h[@]}" -u robot-1 -P "wrong-$R1_PW" -t robots/robot-1/stream/state -m x 2>/dev/null; then
        fail "broker: a wrong password was accepted"
    else
        pass "broker: a wrong robot password is refused"
    fi
    # The bridge publishes (retained, so nothing races) a command for each robot.
    if mosquitto_pub "${h[@]}" -u vigil-bridge -P "$BRIDGE_PW" -q 1 -r -t robots/robot-1/stream -m start-robot-1 \
            && mosquitto_pub "${h[@]}" -u vigil-bridge -P "$BRIDGE_PW" -q 1 -r -t robots/robot-2/stream -m start-robot-2; then
        pass "broker: the bridge user publishes commands"
    else
        fail "broker: the bridge user could not publish commands"
    fi
    out="$(sub robot-1 "$R1_PW" robots/robot-1/stream)"
    [ "$out" = start-robot-1 ] && pass "broker: robot-1 reads its own command topic" \
        || fail "broker: robot-1 did not read its own command topic (got '$out')"
    out="$(sub robot-2 "$R2_PW" robots/robot-2/stream)"
    [ "$out" = start-robot-2 ] && pass "broker: robot-2 reads its own command topic (the command for it was delivered)" \
        || fail "broker: robot-2 did not read its own command topic (got '$out')"
    out="$(sub robot-1 "$R1_PW" robots/robot-2/stream)"
    [ -z "$out" ] && pass "broker: robot-1 cannot read robot-2's command topic" \
        || fail "broker: robot-1 read robot-2's command topic ('$out')"
    # Through '#', robot-1 sees its own command (allowed) and nothing of robot-2's.
    out="$(mosquitto_sub "${h[@]}" -u robot-1 -P "$R1_PW" -t '#' -v -W 2 2>/dev/null)"
    if grep -q '^robots/robot-1/stream start-robot-1$' <<<"$out" && ! grep -q robot-2 <<<"$out"; then
        pass "broker: through '#', robot-1 reads its own command and nothing of robot-2"
    else
        fail "broker: through '#', robot-1 read: $(tr '\n' ';' <<<"$out")"
    fi
    # States: a robot writes its own, the bridge reads it; a forged state for another robot is dropped.
    mosquitto_pub "${h[@]}" -u robot-1 -P "$R1_PW" -q 1 -r -t robots/robot-1/stream/state -m '{"state":"idle"}' 2>/dev/null
    mosquitto_pub "${h[@]}" -u robot-1 -P "$R1_PW" -q 1 -r -t robots/robot-2/stream/state -m forged 2>/dev/null
    out="$(sub vigil-bridge "$BRIDGE_PW" robots/robot-1/stream/state)"
    [ "$out" = '{"state":"idle"}' ] && pass "broker: the bridge reads robot-1's state" \
        || fail "broker: the bridge did not read robot-1's state (got '$out')"
    out="$(sub vigil-bridge "$BRIDGE_PW" robots/robot-2/stream/state)"
    [ -z "$out" ] && pass "broker: robot-1 cannot write robot-2's state" \
        || fail "broker: robot-1 wrote robot-2's state ('$out')"
    bridge_checks
    agent_checks
    kill "$MOSQUITTO_PID" 2>/dev/null
    wait "$MOSQUITTO_PID" 2>/dev/null
    MOSQUITTO_PID=""
}

# --- 6. the real bridge with the rendered bridge.conf, against that broker --------------------
# The jar installed in the root by the role (or the built one), run by this machine's JDK >= 21
# with -Dconfig.file=<the rendered /etc/vigil/bridge.conf>; only the listen address and port are
# changed (BRIDGE_HOST/BRIDGE_PORT). Needs the jar; without it the check is skipped and says so.
bridge_checks() {
    local jar="$ROOTFS/opt/vigil/bridge/vigil-bridge.jar" where="installed by the role"
    if [ ! -f "$jar" ]; then
        jar="$WORK/artifacts/vigil-bridge.jar" where="built"
    fi
    if [ ! -f "$jar" ]; then
        skip "bridge with the rendered bridge.conf (bridge/target/vigil-bridge.jar not built)"
        return
    fi
    ensure_jdk >/dev/null 2>&1 || { skip "bridge with the rendered bridge.conf (no JDK >= 21)"; return; }
    local bport="$BRIDGE_CHECK_PORT"
    BRIDGE_HOST=127.0.0.1 BRIDGE_PORT="$bport" "$JAVA_HOME/bin/java" -Dconfig.file="$ROOTFS/etc/vigil/bridge.conf" \
        -jar "$jar" > "$WORK/bridge.out" 2>&1 &
    BRIDGE_PID=$!
    local code="" base="http://127.0.0.1:$bport"
    for _ in $(seq 1 60); do
        code="$(curl -s -o /dev/null -w '%{http_code}' "$base/observe/health" 2>/dev/null)"
        [ "$code" = 200 ] && break
        kill -0 "$BRIDGE_PID" 2>/dev/null || break
        sleep 0.5
    done
    if [ "$code" = 200 ]; then
        pass "bridge ($where jar) with the rendered bridge.conf: /observe/health answers 200 (MQTT connected as vigil-bridge)"
    else
        tail -n 20 "$WORK/bridge.out" >&2
        fail "bridge with the rendered bridge.conf: /observe/health answered '${code:-nothing}'"
    fi
    if [ "$code" = 200 ]; then
        # An operator (Basic auth from the vault's hash) starts robot-1; robot-1 receives the command.
        mosquitto_pub "${h[@]}" -u vigil-bridge -P "$BRIDGE_PW" -q 1 -r -n -t robots/robot-1/stream
        mosquitto_sub "${h[@]}" -u robot-1 -P "$R1_PW" -t robots/robot-1/stream -C 1 -W 10 > "$WORK/robot-1.cmds" 2>/dev/null &
        local sub_pid=$! got
        sleep 1
        code="$(curl -s -o /dev/null -w '%{http_code}' -u "alice:$ALICE_PW" -X POST "$base/robots/robot-1/stream/start")"
        wait "$sub_pid"
        got="$(cat "$WORK/robot-1.cmds")"
        if [[ "$code" == 2?? ]] && [[ "$got" == *start* ]] && [ "$got" != start-robot-1 ]; then
            pass "bridge: an operator's POST /robots/robot-1/stream/start reaches robot-1 through the ACL ($got)"
        else
            fail "bridge: POST /robots/robot-1/stream/start answered $code; robot-1 got: '$got'"
        fi
        code="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$base/robots/robot-1/stream/start")"
        [ "$code" = 401 ] && pass "bridge: the same request without credentials answers 401" \
            || fail "bridge: the same request without credentials answered $code"
        relay_checks
        if grep -qF -e "$BRIDGE_PW" -e "$ALICE_PW" "$WORK/bridge.out"; then
            fail "bridge: a password from the rendered config appears in the bridge's log"
        else
            pass "bridge: no password of the rendered config appears in its log"
        fi
    fi
    kill "$BRIDGE_PID" 2>/dev/null
    wait "$BRIDGE_PID" 2>/dev/null
    BRIDGE_PID=""
}
# --- 6b. the real MediaMTX with the rendered mediamtx.yml, asking that bridge ------------------
# The binary the role installed into the root (/usr/local/bin/mediamtx -> /opt/mediamtx/<version>),
# run inside the root as the role's mediamtx user, like the unit does, on the free loopback ports
# given to the role. Called by bridge_checks while the bridge runs.
relay_checks() {
    local conf="$ROOTFS/etc/mediamtx/mediamtx.yml" up=0 out code
    # /usr/local/bin/mediamtx is an absolute link, which resolves only inside the root.
    if [ "$(readlink "$ROOTFS/usr/local/bin/mediamtx")" != "/opt/mediamtx/$MEDIAMTX_VERSION/mediamtx" ] \
            || [ ! -x "$ROOTFS/opt/mediamtx/$MEDIAMTX_VERSION/mediamtx" ] || [ ! -f "$conf" ]; then
        fail "relay: the role installed no /usr/local/bin/mediamtx -> /opt/mediamtx/$MEDIAMTX_VERSION/mediamtx or no /etc/mediamtx/mediamtx.yml"
        return
    fi
    chroot --userspec=mediamtx:mediamtx "$ROOTFS" /usr/local/bin/mediamtx /etc/mediamtx/mediamtx.yml \
        > "$WORK/mediamtx.out" 2>&1 &
    MEDIAMTX_PID=$!
    for _ in $(seq 1 50); do
        if ! port_free "$MTX_RTSP_PORT" && ! port_free "$MTX_RTMP_PORT"; then up=1; break; fi
        kill -0 "$MEDIAMTX_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ "$up" = 1 ] && grep -q "MediaMTX v$MEDIAMTX_VERSION" "$WORK/mediamtx.out"; then
        pass "relay: MediaMTX v$MEDIAMTX_VERSION installed by the role runs the rendered mediamtx.yml as user mediamtx (RTSP 127.0.0.1:$MTX_RTSP_PORT, RTMP :$MTX_RTMP_PORT)"
    else
        tail -n 20 "$WORK/mediamtx.out" >&2
        fail "relay: MediaMTX did not start from the rendered mediamtx.yml"
        return
    fi
    if grep -qiE ' WAR .*(deprecated|renamed)| ERR ' "$WORK/mediamtx.out"; then
        grep -iE ' WAR | ERR ' "$WORK/mediamtx.out" >&2
        fail "relay: MediaMTX warns about the rendered configuration"
    else
        pass "relay: no deprecation warning or error for the rendered configuration"
    fi
    # A publish without credentials: MediaMTX asks the bridge, which refuses it.
    timeout 15 gst-launch-1.0 -q videotestsrc is-live=true num-buffers=60 ! video/x-raw,width=320,height=240,framerate=15/1 \
        ! x264enc tune=zerolatency key-int-max=15 ! h264parse ! flvmux streamable=true \
        ! rtmpsink "location=rtmp://127.0.0.1:$MTX_RTMP_PORT/live/robot-1 live=1" > "$WORK/publish.out" 2>&1
    local rc=$?
    sleep 0.5
    if [ "$rc" -ne 0 ] && ! grep -q "is publishing to path 'live/robot-1'" "$WORK/mediamtx.out" \
            && grep -q "refused publish of 'live/robot-1'.*no publish credentials" "$WORK/bridge.out"; then
        pass "relay: a publish to live/robot-1 without credentials is refused, and the bridge decided it (\"refused publish ... no publish credentials\")"
    else
        tail -n 5 "$WORK/publish.out" "$WORK/mediamtx.out" >&2
        grep -i 'relay' "$WORK/bridge.out" | tail -n 5 >&2
        fail "relay: a publish without credentials was not refused by the bridge (gst-launch exit $rc)"
    fi
    # A read without credentials: the DESCRIBE is answered 401 (the challenge that players answer).
    out="$(timeout 10 gst-launch-1.0 rtspsrc "location=rtsp://127.0.0.1:$MTX_RTSP_PORT/live/robot-1" protocols=tcp \
        ! fakesink 2>&1)"
    if grep -q 'Unauthorized (401)' <<<"$out" && grep -q "refused read of 'live/robot-1'" "$WORK/bridge.out"; then
        pass "relay: an RTSP read of live/robot-1 without credentials is answered 401, decided by the bridge"
    else
        printf '%s\n' "$out" | tail -n 5 >&2
        fail "relay: an RTSP read without credentials was not answered 401 by the bridge's decision"
    fi
    # The robot's own publish: the real agent (the rendered agent.conf, the root's templates, only the
    # relay's address and the test-pattern pipeline changed through the environment), started by an
    # operator through the bridge, publishes with its short-lived token; the bridge allows it and an
    # operator reads it back over RTSP with the credentials in the URL.
    local ajar="$ROOTFS/opt/vigil/agent/vigil-agent.jar" frames
    [ -f "$ajar" ] || ajar="$WORK/artifacts/vigil-agent.jar"
    MEDIA_SERVER="127.0.0.1:$MTX_RTMP_PORT" AGENT_PIPELINE=testsrc "$JAVA_HOME/bin/java" \
        -Dconfig.file="$ROOTFS/etc/vigil/agent.conf" -Dvigil.agent.pipeline.dir="$ROOTFS/opt/vigil/agent/pipelines" \
        -Dvigil.agent.supervisor.pid-file="$WORK/gst-relay.pid" -jar "$ajar" > "$WORK/agent-relay.out" 2>&1 &
    AGENT_PID=$!
    mosquitto_sub "${h[@]}" -u vigil-bridge -P "$BRIDGE_PW" -t robots/robot-1/stream/availability -C 1 -W 20 >/dev/null 2>&1
    code="$(curl -s -o /dev/null -w '%{http_code}' -u "alice:$ALICE_PW" -X POST "$base/robots/robot-1/stream/start?wait=PT20S")"
    for _ in $(seq 1 100); do
        grep -q "is publishing to path 'live/robot-1'" "$WORK/mediamtx.out" && break
        sleep 0.2
    done
    frames="$(timeout -s INT 10 gst-launch-1.0 -v playbin "uri=rtsp://alice:$ALICE_PW@127.0.0.1:$MTX_RTSP_PORT/live/robot-1" \
        video-sink="fakesink silent=false" 2>&1 | grep -c 'last-message = chain')"
    if [[ "$code" == 2?? ]] && grep -q "is publishing to path 'live/robot-1'" "$WORK/mediamtx.out" \
            && grep -q "allowed publish of 'live/robot-1'.*publish token" "$WORK/bridge.out" && [ "${frames:-0}" -ge 15 ]; then
        pass "relay: robot-1's agent (rendered agent.conf), started through the bridge, publishes with its token; an operator reads $frames frames over RTSP"
    else
        tail -n 10 "$WORK/agent-relay.out" | sed "s/$ALICE_PW/***/g" >&2
        grep -i 'relay' "$WORK/bridge.out" | tail -n 5 >&2
        fail "relay: robot-1's publish through the bridge (start answered $code, $frames frames read)"
    fi
    curl -s -o /dev/null -u "alice:$ALICE_PW" -X POST "$base/robots/robot-1/stream/stop"
    kill -TERM "$AGENT_PID" 2>/dev/null
    wait "$AGENT_PID" 2>/dev/null
    AGENT_PID=""
    # The next check expects robot-1's first availability message to be this run's 'online'.
    mosquitto_pub "${h[@]}" -u robot-1 -P "$R1_PW" -q 1 -r -n -t robots/robot-1/stream/availability 2>/dev/null
    kill "$MEDIAMTX_PID" 2>/dev/null
    wait "$MEDIAMTX_PID" 2>/dev/null
    MEDIAMTX_PID=""
    if grep -qF -e "$BRIDGE_PW" -e "$R1_PW" "$WORK/mediamtx.out"; then
        fail "relay: a secret appears in MediaMTX's log"
    fi
}
# --- 7. the real agent with the rendered agent.conf and the installed templates ---------------
# The agent jar (installed by the role, or the built one) with -Dconfig.file=<the rendered agent.conf>
# and the templates the role installed: --dry-run must accept the config and mask the publish secret,
# and a running agent must come online on the broker through robot-1's ACL and go offline on SIGTERM.
# Only two paths are moved (system properties): the templates' folder into the root, and the PID
# file out of /run/vigil-agent, which belongs to the unit.
agent_checks() {
    local jar="$ROOTFS/opt/vigil/agent/vigil-agent.jar" where="installed by the role"
    [ -f "$jar" ] || { jar="$WORK/artifacts/vigil-agent.jar"; where="built"; }
    if [ ! -f "$jar" ]; then
        skip "agent with the rendered agent.conf (agent/target/vigil-agent.jar not built)"
        return
    fi
    ensure_jdk >/dev/null 2>&1 || { skip "agent with the rendered agent.conf (no JDK found)"; return; }
    local conf="$ROOTFS/etc/vigil/agent.conf" out rc secret
    secret="$(sed -n 's/^ *publish-password = "\(.*\)"$/\1/p' "$conf")"
    local moved=(-Dvigil.agent.pipeline.dir="$ROOTFS/opt/vigil/agent/pipelines" -Dvigil.agent.supervisor.pid-file="$WORK/gst.pid")
    out="$("$JAVA_HOME/bin/java" -Dconfig.file="$conf" "${moved[@]}" -jar "$jar" --dry-run 2>&1)"
    rc=$?
    # Exit 0: ready; 1: a GStreamer element is missing on THIS machine (named in the output; the role
    # installs it on a robot); 2: a configuration problem, which fails the check.
    local missing
    missing="$(sed -n "s/^element '\([^']*\)' is missing.*/\1/p" <<<"$out" | tr '\n' ' ')"
    if { [ "$rc" -eq 0 ] || { [ "$rc" -eq 1 ] && [ -n "$missing" ]; }; } && [ -n "$secret" ] \
            && ! grep -qF -- "$secret" <<<"$out" && grep -qF 'rtmp://127.0.0.1:1935/live/robot-1?user=robot-1&pass=***' <<<"$out"; then
        pass "agent ($where jar) --dry-run accepts the rendered agent.conf and the installed templates: publishes to live/robot-1 as robot-1 with a masked token${missing:+ (elements this machine lacks: $missing)}"
    else
        printf '%s\n' "$out" | tail -n 15 | { [ -n "$secret" ] && sed "s/$secret/***/g" || cat; } >&2
        fail "agent --dry-run with the rendered agent.conf (exit $rc, or the secret shown, or no rtmp:// URL)"
    fi
    "$JAVA_HOME/bin/java" -Dconfig.file="$conf" "${moved[@]}" -jar "$jar" > "$WORK/agent.out" 2>&1 &
    AGENT_PID=$!
    out="$(mosquitto_sub "${h[@]}" -u vigil-bridge -P "$BRIDGE_PW" -t robots/robot-1/stream/availability \
        -C 1 -W 20 2>/dev/null)"
    if [ "$out" = online ]; then
        pass "agent: with the rendered agent.conf it connects as robot-1 and publishes availability 'online'"
    else
        tail -n 15 "$WORK/agent.out" >&2
        fail "agent: no 'online' on robots/robot-1/stream/availability (got '$out')"
    fi
    kill -TERM "$AGENT_PID" 2>/dev/null
    wait "$AGENT_PID" 2>/dev/null
    AGENT_PID=""
    out="$(sub vigil-bridge "$BRIDGE_PW" robots/robot-1/stream/availability)"
    [ "$out" = offline ] && pass "agent: after SIGTERM its retained availability is 'offline'" \
        || fail "agent: after SIGTERM the availability is '$out', expected offline"
    if grep -qF -e "$R1_PW" -e "${secret:-no-secret-rendered}" "$WORK/agent.out"; then
        fail "agent: a secret of the rendered agent.conf appears in its log"
    else
        pass "agent: no secret of the rendered agent.conf appears in its log"
    fi
}
broker_checks

for s in "${skipped[@]}"; do SUMMARY+=("SKIP  converge: $s"); done
print_summary
exit "$FAILED"
