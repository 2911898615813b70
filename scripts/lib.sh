# Shared helpers for the scripts in this folder. Source it; do not run it.
# shellcheck shell=bash

VIGIL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export VIGIL_ROOT

# The Debian packages that building, running and testing Vigil needs.
VIGIL_APT_PACKAGES=(
    maven ca-certificates curl procps iproute2
    gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
    gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-rtsp
    gstreamer1.0-libcamera gstreamer1.0-x
    gstreamer1.0-opencv libgstreamer1.0-0
    mosquitto mosquitto-clients
)

# Bold and red only on a terminal (and without NO_COLOR): no raw escapes in logs and CI output.
if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then VIGIL_BOLD=$'\033[1m' VIGIL_RED=$'\033[1;31m' VIGIL_PLAIN=$'\033[0m'
else VIGIL_BOLD="" VIGIL_RED="" VIGIL_PLAIN=""; fi
log() { printf '%s[vigil]%s %s\n' "$VIGIL_BOLD" "$VIGIL_PLAIN" "$*" >&2; }
die() { printf '%s[vigil] error:%s %s\n' "$VIGIL_RED" "$VIGIL_PLAIN" "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt-get update, once per run.
apt_update_once() {
    if [ -z "${VIGIL_APT_UPDATED:-}" ]; then
        as_root apt-get update -qq || die "apt-get update failed"
        VIGIL_APT_UPDATED=1
    fi
}

# Installs the named Debian packages that are not installed yet; runs apt-get update once, only if needed.
apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    apt_update_once
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install failed for: ${missing[*]}"
}

# Prints the feature release of the java binary given (17, 21, 25, ...), or 0.
java_release() {
    local v
    v="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    echo "${v:-0}"
}

# Finds a JDK >= 21 (the bridge's Helidon 4 needs it; the build too) and exports JAVA_HOME; installs
# Debian's openjdk-21 where the release has it (Debian 13). Debian 12 has none, and taking it from
# Debian 13 would upgrade libc6 behind the user's back, so there it stops with the ways out.
ensure_jdk() {
    local candidate
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
        if [ "$(java_release "$candidate/bin/java")" -ge 21 ]; then
            export JAVA_HOME="$candidate"
            return 0
        fi
    done
    apt_update_once
    # (Read whole first: grep -q would stop the pipe early, and pipefail would call that a failure.)
    local policy
    policy="$(apt-cache policy openjdk-21-jdk-headless 2>/dev/null)"
    if grep -q 'Candidate: [0-9]' <<<"$policy"; then
        apt_install openjdk-21-jdk-headless
    else
        die "building Vigil needs a JDK >= 21, and this Debian ($(. /etc/os-release && echo "$PRETTY_NAME")) packages none: use Debian 13, or put a JDK >= 21 under /usr/lib/jvm (or set JAVA_HOME to one); the agent itself runs on Java 17"
    fi
    for candidate in /usr/lib/jvm/*; do
        if [ -x "$candidate/bin/javac" ] && [ "$(java_release "$candidate/bin/java")" -ge 21 ]; then
            export JAVA_HOME="$candidate"
            return 0
        fi
    done
    die "no JDK >= 21 under /usr/lib/jvm after installing openjdk-21-jdk-headless"
}

# What only the tests need, beyond install_deps: the browser and its driver for the web page's
# tests, gst-discoverer-1.0 (a recorded clip's duration), and the tools of the deployment checks (booted
# hosts in systemd-nspawn, their firewall, Ansible's SSH, the certificates of the bad-certificate checks).
VIGIL_TEST_APT_PACKAGES=(
    chromium chromium-driver gstreamer1.0-plugins-base-apps
    ansible ansible-lint systemd systemd-container debootstrap nftables openssh-client openssl
    postgresql haproxy
)

# Everything building and running Vigil needs.
install_deps() {
    apt_install "${VIGIL_APT_PACKAGES[@]}"
    ensure_jdk
    export PATH="$JAVA_HOME/bin:$PATH"
    log "JDK: $JAVA_HOME ($(java_release "$JAVA_HOME/bin/java"))"
    ensure_mediamtx
    log "MediaMTX: $VIGIL_MEDIAMTX ($("$VIGIL_MEDIAMTX" --version 2>&1 | head -n 1))"
}

# Everything the tests need besides (call install_deps first).
install_test_deps() {
    apt_install "${VIGIL_TEST_APT_PACKAGES[@]}"
}

# Whether nothing listens on port $1, over TCP or UDP.
port_free() { ! ss -Hlnt "sport = :$1" | grep -q . && ! ss -Hlnu "sport = :$1" | grep -q .; }

# Prints the first of $1 (default ten) loopback ports in a row (an even one) that are free over TCP
# and UDP, below the kernel's ephemeral range (32768-60999), where client sockets could take one meanwhile.
free_port_run() {
    local count="${1:-10}" candidate i ok
    for _ in $(seq 1 50); do
        candidate=$(( (20000 + RANDOM % 12000) / 2 * 2 ))
        ok=1
        for i in $(seq 0 $((count - 1))); do port_free $((candidate + i)) || { ok=0; break; }; done
        [ "$ok" = 1 ] && { echo "$candidate"; return 0; }
    done
    die "no $count free loopback ports in a row found"
}

mvn_batch() {
    local opts="${MAVEN_OPTS:-}"
    # Maven's own Guava uses sun.misc.Unsafe, which JDK 24+ warns about on every run.
    [ "$(java_release "$JAVA_HOME/bin/java")" -ge 24 ] && opts="$opts --sun-misc-unsafe-memory-access=allow"
    # Debian's Maven 3.8 prints colour resets (ESC[0m) even in batch mode unless told not to.
    opts="$opts -Djansi.noreset=true"
    (cd "$VIGIL_ROOT" && MAVEN_OPTS="$opts" mvn -B -ntp "$@")
}

# MediaMTX, the relay (not packaged for Debian). VIGIL_MEDIAMTX names a binary (.ci/run points it at
# ../shared/tools/mediamtx/mediamtx); otherwise the pinned release archive is downloaded once into
# VIGIL_CACHE and its sha256 checked. Exports VIGIL_MEDIAMTX.
MEDIAMTX_VERSION=1.20.1
declare -A MEDIAMTX_SHA256=(
    [amd64]=81b143f55a5d23d4a8c028d52869c14ea4a59919900528698fcc97a747fd69c6
    [arm64]=d1689f0bfefb1864e5ed3dcc8495eb2d7ec0a654f90bf3cd48980cb3bd08718a
)
ensure_mediamtx() {
    if [ -n "${VIGIL_MEDIAMTX:-}" ]; then
        [ -x "$VIGIL_MEDIAMTX" ] || die "VIGIL_MEDIAMTX=$VIGIL_MEDIAMTX is not an executable file"
        export VIGIL_MEDIAMTX
        return 0
    fi
    local arch dir archive url sum
    arch="$(dpkg --print-architecture)"
    [ -n "${MEDIAMTX_SHA256[$arch]:-}" ] || die "no pinned MediaMTX release for architecture $arch; set VIGIL_MEDIAMTX to a binary"
    dir="${VIGIL_CACHE:-/var/cache/vigil}/mediamtx-v$MEDIAMTX_VERSION-$arch"
    if [ ! -x "$dir/mediamtx" ]; then
        archive="mediamtx_v${MEDIAMTX_VERSION}_linux_${arch}.tar.gz"
        url="https://github.com/bluenviron/mediamtx/releases/download/v$MEDIAMTX_VERSION/$archive"
        log "downloading MediaMTX $MEDIAMTX_VERSION ($url)"
        as_root mkdir -p "$dir"
        as_root curl -fsSL --retry 2 -o "$dir/$archive" "$url" \
            || die "could not download MediaMTX from $url; set VIGIL_MEDIAMTX to a mediamtx $MEDIAMTX_VERSION binary"
        sum="$(sha256sum "$dir/$archive" | cut -d' ' -f1)"
        if [ "$sum" != "${MEDIAMTX_SHA256[$arch]}" ]; then
            as_root rm -f "$dir/$archive"
            die "MediaMTX archive checksum mismatch (got $sum, want ${MEDIAMTX_SHA256[$arch]}); refusing to use it"
        fi
        as_root tar -xzf "$dir/$archive" -C "$dir" mediamtx && as_root rm -f "$dir/$archive"
    fi
    export VIGIL_MEDIAMTX="$dir/mediamtx"
}
