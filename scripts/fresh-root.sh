# A brand-new Debian root to run a command in, so that a run proves the install step and not what
# this machine happens to hold. Source it (after lib.sh); do not run it.
#
#   fresh_root_create            ROOT: the bare debootstrap output (minbase) of $FRESH_SUITE, unpacked
#                                anew; /proc, /sys (with this machine's cgroup hierarchies), /dev mounted;
#                                the project copied to /vigil/<name> and ../shared bound read-only beside
#                                it. ROOT is a mount point of its own, so that systemd-nspawn and
#                                `ip netns` can work inside it (the deployment test boots hosts there)
#   fresh_root_run CMD...        runs CMD as root inside it (its own mount and PID namespaces, ROOT
#                                as "/"), in the project's folder, with a clean environment
#   fresh_root_destroy           ends every process left inside, unmounts, deletes the root
#
# Only what cannot hide a missing install step is cached, under $VIGIL_CACHE (default /var/cache/vigil):
#   roots/<suite>-minbase.tar   the bare output of `debootstrap --variant=minbase` (no package of ours);
#                               bound read-only to /var/cache/vigil/roots inside, where the deployment
#                               test makes its booted hosts from the same file
#   apt-archives/               downloaded .deb files (bound to /var/cache/apt/archives)
#   m2/                         the Maven repository (bound to /root/.m2)
#   downloads/                  other downloads, e.g. a pinned MediaMTX release (bound to /var/cache/vigil)
# Delete the folder to start from nothing.
# shellcheck shell=bash

FRESH_SUITE="${VIGIL_FRESH_SUITE:-trixie}"
FRESH_CACHE="${VIGIL_CACHE:-/var/cache/vigil}"
FRESH_ROOT=""
FRESH_PROJECT=""

# The Debian mirror that this machine's apt already uses (deb.debian.org if none is found).
debian_mirror() {
    local uri
    uri="$( (cat /etc/apt/sources.list 2>/dev/null; cat /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null) \
        | grep -v '^ *#' | grep -oE '(https?|ftp)://[^ ]*/debian/?( |$)' | grep -v -- '-security' | head -n 1 | tr -d ' ')"
    echo "${VIGIL_DEBIAN_MIRROR:-${uri:-http://deb.debian.org/debian}}"
}

# The cached bare root, made once with debootstrap.
fresh_root_bare() {
    local bare="$FRESH_CACHE/roots/$FRESH_SUITE-minbase.tar" tmp mirror
    if [ ! -s "$bare" ]; then
        apt_install debootstrap
        mirror="$(debian_mirror)"
        mkdir -p "$FRESH_CACHE/roots" "$FRESH_CACHE/apt-archives/partial"
        tmp="$(mktemp -d /var/tmp/vigil-debootstrap.XXXXXX)"
        log "debootstrap --variant=minbase $FRESH_SUITE from $mirror (once; the bare root is cached in $bare)"
        if ! debootstrap --variant=minbase --cache-dir="$FRESH_CACHE/apt-archives" "$FRESH_SUITE" "$tmp" "$mirror" \
                > "$FRESH_CACHE/roots/debootstrap.log" 2>&1; then
            tail -n 20 "$FRESH_CACHE/roots/debootstrap.log" >&2
            rm -rf --one-file-system "$tmp"
            die "debootstrap of Debian $FRESH_SUITE failed (log: $FRESH_CACHE/roots/debootstrap.log)"
        fi
        rm -f "$tmp"/var/cache/apt/archives/*.deb
        tar --numeric-owner -C "$tmp" -cf "$bare.partial" . && mv "$bare.partial" "$bare"
        rm -rf --one-file-system "$tmp"
    fi
    echo "$bare"
}

# Binds SRC on ROOT/DEST (a folder, or a file when SRC is one); "ro" as a third word makes it read-only.
fresh_root_bind() {
    local src="$1" dest="$FRESH_ROOT$2"
    if [ -d "$src" ]; then mkdir -p "$dest"; else mkdir -p "$(dirname "$dest")" && : > "$dest"; fi
    mount --bind "$src" "$dest"
    [ "${3:-}" = ro ] && mount -o remount,bind,ro "$dest"
    return 0
}

fresh_root_create() {
    [ "$(id -u)" -eq 0 ] || die "a fresh root needs root (debootstrap, chroot, mount); run as root, or use --here"
    local bare name
    bare="$(fresh_root_bare)"
    FRESH_ROOT="$(mktemp -d /var/tmp/vigil-fresh-root.XXXXXX)"
    log "a brand-new Debian $FRESH_SUITE root in $FRESH_ROOT (the bare debootstrap output, nothing else)"
    # Its own mount point: systemd-nspawn and `ip netns exec` make "/" a slave mount, which a chroot
    # into a plain folder refuses ("Invalid argument").
    mount --bind "$FRESH_ROOT" "$FRESH_ROOT" && mount --make-private "$FRESH_ROOT"
    tar --numeric-owner -C "$FRESH_ROOT" -xpf "$bare"
    chmod 755 "$FRESH_ROOT"  # mktemp made it 0700: apt's _apt and the servers' own users must reach /
    mount -t proc proc "$FRESH_ROOT/proc"
    mount -t sysfs sysfs "$FRESH_ROOT/sys"
    # A new sysfs has an empty /sys/fs/cgroup; systemd-nspawn needs this machine's hierarchies there.
    if [ -d /sys/fs/cgroup ] && mountpoint -q /sys/fs/cgroup; then
        mount --rbind /sys/fs/cgroup "$FRESH_ROOT/sys/fs/cgroup" && mount --make-rslave "$FRESH_ROOT/sys/fs/cgroup"
    fi
    mount --rbind /dev "$FRESH_ROOT/dev" && mount --make-rslave "$FRESH_ROOT/dev"
    mount -t tmpfs -o mode=755 tmpfs "$FRESH_ROOT/run"
    # The network's own configuration, which a new machine on this network has too: its resolver,
    # and the local CA certificates it trusts (an HTTPS proxy's, say), which the install step's
    # ca-certificates (and, through it, the JDK) then takes in.
    cp -L /etc/resolv.conf "$FRESH_ROOT/etc/resolv.conf"
    if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
        mkdir -p "$FRESH_ROOT/usr/local/share/ca-certificates"
        cp -L /usr/local/share/ca-certificates/*.crt "$FRESH_ROOT/usr/local/share/ca-certificates/"
    fi
    mkdir -p "$FRESH_CACHE/apt-archives/partial" "$FRESH_CACHE/m2" "$FRESH_CACHE/downloads"
    fresh_root_bind "$FRESH_CACHE/apt-archives" /var/cache/apt/archives
    fresh_root_bind "$FRESH_CACHE/m2" /root/.m2
    fresh_root_bind "$FRESH_CACHE/downloads" /var/cache/vigil
    fresh_root_bind "$FRESH_CACHE/roots" /var/cache/vigil/roots ro

    # The project as a fresh clone would have it: tracked and new files, nothing that git ignores
    # (no target/, no .run/).
    name="$(basename "$VIGIL_ROOT")"
    FRESH_PROJECT="/vigil/$name"
    mkdir -p "$FRESH_ROOT$FRESH_PROJECT"
    if git -C "$VIGIL_ROOT" rev-parse --git-dir >/dev/null 2>&1; then
        (cd "$VIGIL_ROOT" && git ls-files -z -co --exclude-standard | tar --null -T - -cf -) | tar -C "$FRESH_ROOT$FRESH_PROJECT" -xf -
    else
        tar -C "$VIGIL_ROOT" --exclude=./.run --exclude='*/target' -cf - . | tar -C "$FRESH_ROOT$FRESH_PROJECT" -xf -
    fi
    if [ -d "$VIGIL_ROOT/../shared" ]; then
        fresh_root_bind "$(cd "$VIGIL_ROOT/../shared" && pwd)" /vigil/shared ro
    fi
    FRESH_ENV=(HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" CI="${CI:-}"
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        VIGIL_FRESH_SUITE="$FRESH_SUITE")
    if [ -n "${VIGIL_MEDIAMTX:-}" ]; then
        [ -x "$VIGIL_MEDIAMTX" ] || die "VIGIL_MEDIAMTX=$VIGIL_MEDIAMTX is not an executable file"
        fresh_root_bind "$VIGIL_MEDIAMTX" /opt/vigil/mediamtx ro
        FRESH_ENV+=(VIGIL_MEDIAMTX=/opt/vigil/mediamtx)
    fi
}

# Not a chroot: a process in a chroot may not make a user namespace, so a service with
# PrivateUsers=yes could not start in the deployment test's booted hosts. CMD runs in a mount and
# PID namespace of its own whose root is ROOT (pivot_root), with a /proc of its own; when it ends,
# the kernel ends whatever it left behind.
fresh_root_run() {
    unshare --mount --propagation private --pid --fork --kill-child /bin/sh -c \
        'cd "$1" && pivot_root . mnt && umount -l /mnt && mount -t proc proc /proc && cd / && shift && exec "$@"' \
        - "$FRESH_ROOT" /usr/bin/env -i "${FRESH_ENV[@]}" /bin/bash -c 'cd "$1" && shift && exec "$@"' - "$FRESH_PROJECT" "$@"
}

# Ends every process whose root is the fresh root or lies inside it (a test's server left behind,
# a booted host of the deployment test).
fresh_root_kill() {
    local proc left=0
    for proc in /proc/[0-9]*; do
        case "$(readlink "$proc/root" 2>/dev/null)" in
            "$FRESH_ROOT" | "$FRESH_ROOT"/*) ;;
            *) continue ;;
        esac
        kill -KILL "${proc#/proc/}" 2>/dev/null && left=$((left + 1))
    done
    [ "$left" -eq 0 ] || { log "ended $left process(es) left in the fresh root"; sleep 0.5; }
}

fresh_root_destroy() {
    [ -n "$FRESH_ROOT" ] && [ -d "$FRESH_ROOT" ] || return 0
    fresh_root_kill
    local target
    # Deepest first; lazily, so a busy mount cannot keep the cached folders bound under the root.
    while read -r target; do
        umount -l "$target" 2>/dev/null || true
    done < <(findmnt -rn -o TARGET | awk -v r="$FRESH_ROOT" 'index($0, r) == 1' | sort -r)
    if findmnt -rn -o TARGET | awk -v r="$FRESH_ROOT" 'index($0, r) == 1' | grep -q .; then
        log "warning: $FRESH_ROOT still has mounts; left in place rather than deleting through them"
        return 0
    fi
    rm -rf --one-file-system "$FRESH_ROOT"
    FRESH_ROOT=""
}
