# Shared helpers for the scripts in this folder. Source it; do not run it.
# shellcheck shell=bash

VIGIL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export VIGIL_ROOT

# The Debian packages that building, running and testing Vigil needs.
VIGIL_APT_PACKAGES=(
    maven ca-certificates curl procps iproute2
    gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
    gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-rtsp
    gstreamer1.0-libcamera
    mosquitto mosquitto-clients nginx libnginx-mod-rtmp
)

log() { printf '\033[1m[vigil]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[vigil] error:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the named Debian packages that are not installed yet; runs apt-get update once, only if needed.
apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    if [ -z "${VIGIL_APT_UPDATED:-}" ]; then
        as_root apt-get update -qq || die "apt-get update failed"
        VIGIL_APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install failed for: ${missing[*]}"
}

# Prints the feature release of the java binary given (17, 21, 25, ...), or 0.
java_release() {
    local v
    v="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    echo "${v:-0}"
}

# Finds a JDK >= 21 (Helidon 4 needs it) and exports JAVA_HOME; installs one when there is none.
# Order: $JAVA_HOME, any JDK under /usr/lib/jvm, Debian's openjdk-21 (Debian 13), then, on Debian 12,
# openjdk-21 from Debian 13 ("trixie") with apt pinning so nothing else is taken from there by default.
ensure_jdk() {
    local candidate
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
        if [ "$(java_release "$candidate/bin/java")" -ge 21 ]; then
            export JAVA_HOME="$candidate"
            return 0
        fi
    done
    log "no JDK >= 21 found; installing one"
    if apt-cache policy openjdk-21-jdk-headless 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        apt_install openjdk-21-jdk-headless
    else
        log "this Debian has no openjdk-21; taking it from Debian 13 (trixie) with a low apt pin"
        as_root tee /etc/apt/sources.list.d/vigil-trixie.sources >/dev/null <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
        as_root tee /etc/apt/preferences.d/vigil-trixie >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t trixie openjdk-21-jdk-headless >/dev/null \
            || die "could not install openjdk-21-jdk-headless from trixie"
    fi
    for candidate in /usr/lib/jvm/*; do
        if [ -x "$candidate/bin/javac" ] && [ "$(java_release "$candidate/bin/java")" -ge 21 ]; then
            export JAVA_HOME="$candidate"
            return 0
        fi
    done
    die "no JDK >= 21 after installing one"
}

# Everything the build and the tests need.
install_deps() {
    apt_install "${VIGIL_APT_PACKAGES[@]}"
    ensure_jdk
    export PATH="$JAVA_HOME/bin:$PATH"
    log "JDK: $JAVA_HOME ($(java_release "$JAVA_HOME/bin/java"))"
}

mvn_batch() {
    local opts="${MAVEN_OPTS:-}"
    # Maven's own Guava uses sun.misc.Unsafe, which JDK 24+ warns about on every run.
    [ "$(java_release "$JAVA_HOME/bin/java")" -ge 24 ] && opts="$opts --sun-misc-unsafe-memory-access=allow"
    (cd "$VIGIL_ROOT" && MAVEN_OPTS="$opts" mvn -B -ntp "$@")
}
