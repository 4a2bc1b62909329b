#!/bin/bash
# Stage 2, PID 1 in the QEMU guest (exec'd by the initramfs /init after
# switch_root into the overlay of the host's root). Runs the command that
# run.sh left in the "vmout" 9p share and reports back through it:
#   in:  cmd (shell command line), cwd, [shell], [winsize "ROWS COLS"]
#   out: boot_uptime, output.log (live), rc, dmesg.log
# PID 1 must never return: the EXIT trap powers the VM off instead, so any
# unexpected failure still ends the VM, just without an rc file (which the
# host reports as a failure).
set -eu

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LC_ALL=C.UTF-8
BB=/usr/bin/busybox
OUT=/run/vmout

halt_vm() {
    trap - EXIT
    sync
    # Debian's /usr/sbin/poweroff is systemctl, useless without systemd:
    # use busybox's (reboot(2) directly), else the kernel's sysrq.
    "$BB" poweroff -f 2>/dev/null || echo o >/proc/sysrq-trigger
    while :; do sleep 60; done
}
trap 'echo "ikesec-vm guest-init: aborted (status $?), powering off" >&2; halt_vm' EXIT

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
# devtmpfs lacks these; bash process substitution needs /dev/fd.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t tmpfs -o mode=0755 tmpfs /run
# Not fatal: only kernel-debugging tests need these.
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
# /tmp is deliberately not a new tmpfs: the repo may live under the host's
# /tmp and must stay visible; the overlay already makes /tmp writable.

mkdir -p "$OUT"
# No cache option: every write goes straight to the host file, which is what
# lets the host stream output.log live.
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 vmout "$OUT"

read -r uptime _ </proc/uptime
echo "$uptime" >"$OUT/boot_uptime"

echo ikesec-vm >/proc/sys/kernel/hostname
ip link set lo up

cwd=/
[ -f "$OUT/cwd" ] && cwd=$(cat "$OUT/cwd")

if [ -e "$OUT/shell" ]; then
    export TERM=${TERM:-linux}
    [ -f "$OUT/term" ] && TERM=$(cat "$OUT/term")
    stty_cmd=:
    if [ -f "$OUT/winsize" ]; then
        read -r rows cols <"$OUT/winsize"
        stty_cmd="stty rows $rows cols $cols"
    fi
    cd "$cwd" 2>/dev/null || cd /
    echo "ikesec-vm: $(uname -r), cwd $PWD; 'exit' powers the VM off"
    rc=0
    # setsid + cttyhack: a new session whose controlling tty is the real
    # console device (ttyS0), so job control and ^C work.
    # --norc: the host's ~/.bashrc (pyenv & co.) takes seconds under TCG.
    # PS1 goes in on the exec line: a non-interactive bash drops it.
    export IKESEC_VM_PS1='\u@\h:\w\$ '
    # shellcheck disable=SC2016 # expanded by the inner bash
    "$BB" setsid "$BB" cttyhack /bin/bash -c \
        "$stty_cmd"'; PS1=$IKESEC_VM_PS1 exec /bin/bash --norc -i' || rc=$?
    dmesg >"$OUT/dmesg.log" 2>&1 || true
    echo "$rc" >"$OUT/rc"
    halt_vm
fi

export TERM=dumb
cmd=$(cat "$OUT/cmd")
# Console markers: with `quiet` they are the only context console.log has.
echo "ikesec-vm: stage 2 up at ${uptime}s, running in $cwd: $cmd"

# Guest-side watchdog, a little before the host's hard timeout: dump what is
# stuck (blocked tasks, process list) while the guest can still talk, then
# power off without an rc file. The host's timeout stays the backstop for a
# guest too wedged to run this.
budget=0
if [ -f "$OUT/timeout" ]; then
    read -r host_timeout <"$OUT/timeout"
    budget=$((host_timeout - ${uptime%.*} - 8))
fi

rc=0
{
    if ! cd "$cwd" 2>/dev/null; then
        echo "ikesec-vm: warning: cwd $cwd does not exist in the guest, using /"
        cd /
    fi
    wd_pid=
    if [ "$budget" -ge 5 ]; then
        (
            trap - EXIT
            sleep "$budget"
            echo "ikesec-vm: TIMEOUT: command still running after ${budget}s, dumping state" | tee /dev/console
            : >"$OUT/guest_timeout"
            ps --ppid 2 -p 2 --deselect -o pid,ppid,stat,wchan:24,etime,args | tee /dev/console
            echo w >/proc/sysrq-trigger
            dmesg >"$OUT/dmesg.log" 2>&1 || true
            halt_vm
        ) &
        wd_pid=$!
    fi
    # In the foreground on purpose: bash starts background jobs with SIGINT
    # and SIGQUIT ignored, which tests that send signals would inherit.
    /bin/sh -c "$cmd" </dev/null || rc=$?
    if [ -n "$wd_pid" ]; then kill "$wd_pid" 2>/dev/null || true; fi
} >>"$OUT/output.log" 2>&1
echo "ikesec-vm: command exited with status $rc"

dmesg >"$OUT/dmesg.log" 2>&1 || true
# Written last, via rename: its presence means the command really finished.
echo "$rc" >"$OUT/rc.tmp"
mv "$OUT/rc.tmp" "$OUT/rc"
halt_vm
