# The deployment test's lab: booted Debian hosts with networks of their own. Source it (after
# lib.sh); do not run it. Needs root, systemd-nspawn (systemd-container), ip, nft and sshd's keys.
#
#   lab_up DIR                 a lab under DIR: three network namespaces joined by a bridge,
#                              "lab" (this test, the control machine and the viewers) 198.51.100.1,
#                              "cloud" 198.51.100.10 and "robot" 198.51.100.20 (TEST-NET-2, reachable
#                              only inside the namespaces), an HTTP proxy on the lab address for the
#                              hosts' apt, and an SSH key for Ansible
#   lab_image TAR [IMAGE]      a base for hosts (IMAGE, default "base"): the bare debootstrap output TAR
#                              (the same file the fresh root is made from) plus what a new Debian
#                              server has: systemd, dbus, openssh-server, python3, sudo, an "admin"
#                              user with passwordless sudo and the lab's key
#   lab_host NAME [IMAGE]      a host's own copy of a base, with its own SSH host keys
#   lab_boot NAME              boots it: systemd as PID 1 in systemd-nspawn, in its namespace, until
#                              `systemctl is-system-running` settles; prints nothing
#   lab_exec NAME CMD...       runs CMD inside the booted host (all its namespaces, its root)
#   lab_in NS CMD...           runs CMD in the network namespace NS (lab, cloud or robot) of this machine
#   lab_reboot NAME            `systemctl reboot` inside, then boots it again (nspawn ends on a reboot)
#   lab_down                   powers the hosts off, removes namespaces, cgroups, mounts and DIR
#
# Inside systemd-nspawn, MemoryMax=, TasksMax= and CPUQuota= are accepted but not enforced.
# shellcheck shell=bash

LAB_DIR=""
LAB_ID="vigil$$"
LAB_NET=198.51.100
LAB_ADDR="$LAB_NET.1"
LAB_PROXY_PORT=3142
LAB_PROXY_PID=""
declare -A LAB_IP=([lab]="$LAB_NET.1" [cloud]="$LAB_NET.10" [robot]="$LAB_NET.20")
declare -A LAB_NSPAWN=() LAB_LEADER=()
# The packages of a new Debian 13 server (a cloud image has these; the playbook needs no more).
LAB_HOST_PACKAGES=(systemd systemd-sysv dbus openssh-server python3 sudo)

lab_netns() { echo "/run/netns/$LAB_ID-$1"; }
lab_in() { local ns="$1"; shift; nsenter --net="$(lab_netns "$ns")" "$@"; }

lab_up() {
    LAB_DIR="$1"
    mkdir -p "$LAB_DIR" /run/netns
    local ns
    for ns in lab cloud robot; do
        ip netns add "$LAB_ID-$ns" || die "cannot create the network namespace $LAB_ID-$ns"
        lab_in "$ns" ip link set lo up
    done
    # One bridge in the lab namespace, a veth from it into each host's namespace.
    lab_in lab ip link add br0 type bridge
    lab_in lab ip addr add "$LAB_ADDR/24" dev br0
    lab_in lab ip link set br0 up
    for ns in cloud robot; do
        lab_in lab ip link add "$ns" type veth peer name eth0 netns "$(lab_netns "$ns")"
        lab_in lab ip link set "$ns" master br0 up
        lab_in "$ns" ip addr add "${LAB_IP[$ns]}/24" dev eth0
        lab_in "$ns" ip link set eth0 up
    done
    python3 "$VIGIL_ROOT/scripts/lab-proxy.py" "$(lab_netns lab)" "$LAB_ADDR" "$LAB_PROXY_PORT" \
        > "$LAB_DIR/proxy.log" 2>&1 &
    LAB_PROXY_PID=$!
    mkdir -p "$LAB_DIR/ssh"
    ssh-keygen -q -t ed25519 -N "" -C "vigil-lab" -f "$LAB_DIR/ssh/id_ed25519"
    # The names the hosts and the viewers use: /etc/hosts of each host, and of the lab namespace
    # (ip netns exec reads /etc/netns/<name>/hosts).
    printf '127.0.0.1 localhost\n%s cloud.vigil.test cloud\n%s robot.vigil.test robot\n%s lab.vigil.test lab\n' \
        "${LAB_IP[cloud]}" "${LAB_IP[robot]}" "$LAB_ADDR" > "$LAB_DIR/hosts"
    mkdir -p "/etc/netns/$LAB_ID-lab"
    cp "$LAB_DIR/hosts" "/etc/netns/$LAB_ID-lab/hosts"
}

# Runs CMD in the lab namespace with its /etc/hosts (the control machine's view of the network).
lab_control() { ip netns exec "$LAB_ID-lab" "$@"; }

lab_image() {
    local tar="$1" base="$LAB_DIR/${2:-base}"
    mkdir -p "$base" "$LAB_DIR/debs"
    tar --numeric-owner -C "$base" -xpf "$tar"
    chmod 755 "$base"
    cp "$LAB_DIR/hosts" "$base/etc/hosts"
    # The network's own configuration: its proxy (for apt) and the CA certificates it trusts.
    printf 'Acquire::http::Proxy "http://%s:%s/";\n' "$LAB_ADDR" "$LAB_PROXY_PORT" > "$base/etc/apt/apt.conf.d/01lab-proxy"
    if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
        mkdir -p "$base/usr/local/share/ca-certificates"
        cp -L /usr/local/share/ca-certificates/*.crt "$base/usr/local/share/ca-certificates/"
    fi
    # The base packages come straight from this machine's network (cached .debs under debs/).
    cp -L /etc/resolv.conf "$base/etc/resolv.conf"
    mkdir -p "$LAB_CACHE/${2:-base}"
    mount --bind "$LAB_CACHE/${2:-base}" "$base/var/cache/apt/archives"
    mount -t proc proc "$base/proc"
    local status=0
    chroot "$base" /bin/sh -c 'apt-get -o Acquire::http::Proxy=false update -qq \
        && DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::http::Proxy=false install -y -qq \
           --no-install-recommends "$@"' - "${LAB_HOST_PACKAGES[@]}" > "$LAB_DIR/image.log" 2>&1 || status=$?
    umount "$base/proc" "$base/var/cache/apt/archives"
    [ "$status" -eq 0 ] || { tail -n 20 "$LAB_DIR/image.log" >&2; die "could not install the hosts' base packages"; }
    rm -f "$base/etc/resolv.conf" "$base"/etc/ssh/ssh_host_*
    : > "$base/etc/machine-id"
    chroot "$base" useradd -m -s /bin/bash -G sudo admin
    echo 'admin ALL=(ALL) NOPASSWD:ALL' > "$base/etc/sudoers.d/admin" && chmod 440 "$base/etc/sudoers.d/admin"
    install -d -m 700 -o 1000 -g 1000 "$base/home/admin/.ssh"
    install -m 600 -o 1000 -g 1000 "$LAB_DIR/ssh/id_ed25519.pub" "$base/home/admin/.ssh/authorized_keys"
}

lab_host() {
    local name="$1" root="$LAB_DIR/$1"
    cp -a "$LAB_DIR/${2:-base}" "$root"
    echo "$name" > "$root/etc/hostname"
    ssh-keygen -q -A -f "$root"
    mkdir -p "$LAB_CACHE/$name" "$root/var/cache/apt/archives"
}

lab_boot() {
    local name="$1" root="$LAB_DIR/$1" cg="/sys/fs/cgroup/unified/$LAB_ID-$1" pid leader="" i
    [ -d /sys/fs/cgroup/unified ] || die "no /sys/fs/cgroup/unified (cgroup2) here: systemd-nspawn cannot boot a host"
    mountpoint -q "$root/var/cache/apt/archives" || mount --bind "$LAB_CACHE/$name" "$root/var/cache/apt/archives"
    mkdir -p "$cg"
    # nspawn --keep-unit puts its payload and supervisor under its own cgroup: one per host.
    ( echo "$BASHPID" > "$cg/cgroup.procs"
      SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 exec systemd-nspawn -D "$root" -b -M "$name" --register=no --keep-unit \
        --console=pipe --network-namespace-path="$(lab_netns "$name")" --system-call-filter=bpf \
        --resolv-conf=off --timezone=off --link-journal=no ) < /dev/null >> "$LAB_DIR/$name.console" 2>&1 &
    pid=$!
    LAB_NSPAWN[$name]=$pid
    # The container's PID 1: nspawn's child that runs systemd (a short-lived helper child of nspawn
    # comes first and exits, and PID 1 is reparented to nspawn, a subreaper).
    for i in $(seq 1 150); do
        for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
            [ "$(cat "/proc/$c/comm" 2>/dev/null)" = systemd ] && { leader="$c"; break 2; }
        done
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$leader" ] || { tail -n 20 "$LAB_DIR/$name.console" >&2; die "systemd-nspawn did not boot $name"; }
    LAB_LEADER[$name]=$leader
    local state="" deadline=$((SECONDS + 90))
    while [ "$SECONDS" -lt "$deadline" ]; do
        state="$(nsenter -t "$leader" -a -r -w systemctl is-system-running 2>/dev/null)"
        case "$state" in running|degraded) return 0 ;; esac
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    tail -n 20 "$LAB_DIR/$name.console" >&2
    die "$name did not finish booting (state '${state:-none}')"
}

lab_exec() { local name="$1"; shift; nsenter -t "${LAB_LEADER[$name]}" -a -r -w "$@"; }

lab_reboot() {
    local name="$1" pid="${LAB_NSPAWN[$1]}"
    lab_exec "$name" systemctl reboot > /dev/null 2>&1
    timeout 60 tail --pid="$pid" -f /dev/null
    wait "$pid" 2>/dev/null
    lab_cgroup_clean "$name"
    lab_boot "$name"
}

# Removes the cgroups nspawn left for host $1, first ending whatever still runs in them (a container
# whose systemd-nspawn was killed keeps running without it).
lab_cgroup_clean() {
    local h dir pids
    for h in unified systemd; do
        dir="/sys/fs/cgroup/$h/$LAB_ID-$1"
        [ -d "$dir" ] || continue
        pids="$(find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null | tr '\n' ' ')"
        if [ -n "${pids// /}" ]; then
            # shellcheck disable=SC2086
            kill -KILL $pids 2>/dev/null
            sleep 0.5
        fi
        find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null
    done
    return 0
}

lab_down() {
    local name pid
    for name in "${!LAB_NSPAWN[@]}"; do
        pid="${LAB_NSPAWN[$name]}"
        kill -0 "$pid" 2>/dev/null || continue
        lab_exec "$name" systemctl poweroff > /dev/null 2>&1
        timeout 20 tail --pid="$pid" -f /dev/null || kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    for name in "${!LAB_NSPAWN[@]}"; do lab_cgroup_clean "$name"; done
    if [ -n "$LAB_PROXY_PID" ]; then kill "$LAB_PROXY_PID" 2>/dev/null; wait "$LAB_PROXY_PID" 2>/dev/null; fi
    local ns
    for ns in lab cloud robot; do ip netns del "$LAB_ID-$ns" 2>/dev/null; done
    rm -rf "/etc/netns/$LAB_ID-lab"
    if [ -n "$LAB_DIR" ] && [ -d "$LAB_DIR" ]; then
        findmnt -rn -o TARGET | awk -v r="$LAB_DIR/" 'index($0, r) == 1' | sort -r | while read -r t; do umount -l "$t"; done
        rm -rf --one-file-system "$LAB_DIR"
    fi
}
