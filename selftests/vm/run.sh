#!/bin/bash
# Run a command (or an interactive shell) as root inside a throwaway QEMU VM
# that boots the host's Debian kernel with the host's / as its root
# (read-only 9p + tmpfs overlay), so modules built here can be insmod'ed.
# See selftests/vm/README.md.
set -eu

usage() {
    cat <<'EOF'
usage: selftests/vm/run.sh [--timeout SECS] [--] COMMAND [ARG...]
       selftests/vm/run.sh --shell [--timeout SECS]

Runs COMMAND in a QEMU guest with the current directory as its cwd, streams
its output, and exits with its exit status (1 if the guest never reported
one: timeout, kernel panic, QEMU failure). --shell gives an interactive root
shell on the serial console instead; 'exit' powers the VM off.

env: IKESEC_BUILD (default <repo>/.build/vm), IKESEC_VM_TIMEOUT (default 2400,
     0 = none), IKESEC_VM_ACCEL (auto|kvm|tcg), KVER, IKESEC_VM_MEM (2G),
     IKESEC_VM_SMP (2), IKESEC_VM_CPU (max), IKESEC_VM_APPEND (extra kernel args),
     IKESEC_VM_QEMU_ARGS (extra QEMU args, word-split)
EOF
}

t_start=$(date +%s.%N)
here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
# shellcheck source=lib.sh
. "$here/lib.sh"

shell=0
timeout_arg=
while [ $# -gt 0 ]; do
    case $1 in
    --shell) shell=1 ;;
    --timeout) [ $# -ge 2 ] || { usage >&2; exit 2; }; timeout_arg=$2; shift ;;
    --timeout=*) timeout_arg=${1#*=} ;;
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    -*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) break ;;
    esac
    shift
done
if [ $shell = 1 ] && [ $# -gt 0 ]; then
    echo "run.sh: --shell takes no COMMAND" >&2; exit 2
fi
if [ $shell = 0 ] && [ $# -eq 0 ]; then
    usage >&2; exit 2
fi

# An interactive shell on a terminal is not time-bounded unless asked; anything
# that can run unattended (batch, or a shell fed from a pipe) is.
interactive=0
if [ $shell = 1 ] && [ -t 0 ]; then interactive=1; fi
tmo=${timeout_arg:-${IKESEC_VM_TIMEOUT:-}}
if [ -z "$tmo" ]; then
    if [ $interactive = 1 ]; then tmo=0; else tmo=2400; fi
fi
case $tmo in '' | *[!0-9]*) vm_die "timeout must be whole seconds, got '$tmo'" ;; esac

command -v qemu-system-x86_64 >/dev/null || vm_die "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"

kver=$(vm_find_kver)
export KVER=$kver
kernel=/boot/vmlinuz-$kver

build=${IKESEC_BUILD:-$repo/.build/vm}
mkdir -p "$build"
build=$(cd "$build" && pwd -P)
# Keep build products out of `git status` without touching the repo's files.
[ -e "$build/.gitignore" ] || echo '*' >"$build/.gitignore"
initrd=$build/initramfs-$kver.cpio.gz
"$here/mkinitramfs.sh" "$initrd"

# The guest sees the host's / at the same paths, so stage 2 and the cwd are
# passed as plain absolute paths; the kernel command line splits on spaces.
stage2=$here/guest-init.sh
case $stage2 in *[[:space:]]*) vm_die "repo path '$here' contains whitespace; the kernel command line cannot carry it" ;; esac

# Fresh output dir per run (the guest's writable share); keep the last 20.
mkdir -p "$build/runs"
out=$(mktemp -d "$build/runs/$(date +%Y%m%d-%H%M%S).XXXXXX")
ln -sfn "$out" "$build/last"
find "$build/runs" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' | sort -rn |
    tail -n +21 | cut -d' ' -f2- | while read -r old; do rm -rf -- "$old"; done

pwd -P >"$out/cwd"
if [ $shell = 1 ]; then
    : >"$out/shell"
    if [ $interactive = 1 ]; then
        echo "${TERM:-linux}" >"$out/term"
        stty size 2>/dev/null >"$out/winsize" || rm -f "$out/winsize"
    else
        # Fed by a script: no prompt colours or bracketed-paste escapes.
        echo dumb >"$out/term"
    fi
else
    echo "$tmo" >"$out/timeout"
    # Single-quote every argument so the guest's sh sees exactly our argv.
    cmd=
    for a in "$@"; do
        cmd+="'${a//\'/\'\\\'\'}' "
    done
    printf '%s\n' "$cmd" >"$out/cmd"
fi
: >"$out/output.log"

qemu_base=(qemu-system-x86_64 -machine q35 -cpu "${IKESEC_VM_CPU:-max}"
    -smp "${IKESEC_VM_SMP:-2}" -m "${IKESEC_VM_MEM:-2G}"
    -nodefaults -no-reboot -display none)

# /dev/kvm can exist and open yet be unable to run this kernel (e.g. nested
# PVM hosts: the guest hangs silently; some hosts abort on -cpu max MSRs).
# So "usable" is decided by actually booting the kernel to a panic (no root
# fs) under KVM. The answer is cached per host boot, QEMU and kernel.
kvm_probe() {
    local cache=$build/kvm-probe key log rc=0
    key="$(cat /proc/sys/kernel/random/boot_id 2>/dev/null) $(uname -r) $kver $(qemu-system-x86_64 --version | head -n 1)"
    if [ -f "$cache" ] && [ "$(head -n 1 "$cache")" = "$key" ]; then
        [ "$(sed -n 2p "$cache")" = ok ]
        return
    fi
    log=$(mktemp "$build/kvm-probe.XXXXXX")
    # In a subshell with a second command (so bash cannot exec timeout in
    # place) to silence bash's "Aborted" notice when QEMU dies on SIGABRT.
    (timeout -k 2 15 "${qemu_base[@]}" -accel kvm -monitor none -serial "file:$log" \
        -kernel "$kernel" -append "console=ttyS0 panic=-1 root=/dev/ikesec-vm-kvm-probe" \
        </dev/null >/dev/null 2>&1; exit $?) 2>/dev/null || rc=$?
    if [ $rc = 0 ] && grep -q 'Kernel panic' "$log"; then
        printf '%s\nok\n' "$key" >"$cache"
    else
        printf '%s\nbroken (qemu status %s)\n' "$key" "$rc" >"$cache"
    fi
    rm -f "$log"
    [ "$(sed -n 2p "$cache")" = ok ]
}

accel=${IKESEC_VM_ACCEL:-auto}
accel_note=
case $accel in
kvm | tcg) ;;
auto)
    accel=tcg
    if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
        if kvm_probe; then accel=kvm; else accel_note=" (/dev/kvm present but cannot boot this kernel)"; fi
    fi
    ;;
*) vm_die "IKESEC_VM_ACCEL must be auto, kvm or tcg, not '$accel'" ;;
esac

# no_timer_check: under a loaded host TCG is slow enough for the kernel to
# decide "IO-APIC + timer doesn't work" and panic at boot.
# Commas are option separators in -fsdev; ",," is a literal comma.
# shellcheck disable=SC2054 # commas here are QEMU syntax, not array separators
qemu=("${qemu_base[@]}" -accel "$accel"
    -kernel "$kernel" -initrd "$initrd"
    -append "console=ttyS0 panic=-1 quiet no_timer_check $VM_STAGE2_KEY=$stage2 ${IKESEC_VM_APPEND:-}"
    -fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap
    -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
    -fsdev "local,id=vmout,path=${out//,/,,},security_model=none"
    -device virtio-9p-pci,fsdev=vmout,mount_tag=vmout)
if [ -n "${IKESEC_VM_QEMU_ARGS:-}" ]; then
    # shellcheck disable=SC2206 # word splitting is the documented behaviour
    qemu+=($IKESEC_VM_QEMU_ARGS)
fi

qpid=
interrupted=0
# shellcheck disable=SC2317 # invoked via trap
on_signal() {
    interrupted=1
    if [ -n "$qpid" ]; then kill -TERM "$qpid" 2>/dev/null || true; fi
}
trap on_signal INT TERM HUP

t_qemu=$(date +%s.%N)
qrc=0
if [ $interactive = 1 ]; then
    # QEMU owns the terminal (raw mode; Ctrl-A x quits, Ctrl-A c = monitor).
    # --foreground: stay in the terminal's process group so QEMU can read it.
    timeout --foreground -k 10 "$tmo" "${qemu[@]}" -serial mon:stdio || qrc=$?
elif [ $shell = 1 ]; then
    # Input from a pipe/file: hold it back until the guest's console is open,
    # or the UART drops what arrives during boot.
    mkfifo "$out/stdin.fifo"
    exec 3<>"$out/stdin.fifo" 4<&0
    timeout -k 10 "$tmo" "${qemu[@]}" -monitor none -serial stdio <"$out/stdin.fifo" &
    qpid=$!
    exec 3>&-
    while [ ! -s "$out/boot_uptime" ] && kill -0 "$qpid" 2>/dev/null; do sleep 0.1; done
    cat <&4 >"$out/stdin.fifo" &
    feeder=$!
    # 2>/dev/null only silences bash's "Aborted" notice if QEMU crashes.
    { wait "$qpid" || qrc=$?; } 2>/dev/null
    kill "$feeder" 2>/dev/null || true
    wait "$feeder" 2>/dev/null || true
else
    # No TTY and no stdin needed (CI): console to a file, output.log streamed.
    timeout -k 10 "$tmo" "${qemu[@]}" -monitor none -serial "file:$out/console.log" \
        </dev/null >"$out/qemu.log" 2>&1 &
    qpid=$!
    tail -n +1 -s 0.2 -f --pid="$qpid" "$out/output.log" &
    tailpid=$!
    # 2>/dev/null only silences bash's "Aborted" notice if QEMU crashes.
    { wait "$qpid" || qrc=$?; } 2>/dev/null
    # A signal interrupts `wait`; wait again for QEMU to actually go away.
    if [ $interrupted = 1 ]; then wait "$qpid" 2>/dev/null || true; fi
    wait "$tailpid" 2>/dev/null || true
fi
t_end=$(date +%s.%N)

boot=n/a
if [ -f "$out/boot_uptime" ]; then
    boot=$(awk -v a="$t_qemu" -v b="$(stat -c %.9Y "$out/boot_uptime")" -v u="$(cat "$out/boot_uptime")" \
        'BEGIN { printf "%.1f s (guest uptime %.1f s)", b - a, u }')
fi
summary="vm: kernel $kver, accel $accel$accel_note, boot $boot, total $(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f s", b - a }')"

rc=
if [ -f "$out/rc" ]; then rc=$(cat "$out/rc"); fi
case $rc in
'' | *[!0-9]*)
    {
        if [ $interrupted = 1 ]; then
            echo "vm: FAILED: interrupted; no exit status from the guest"
        elif [ -f "$out/guest_timeout" ]; then
            echo "vm: FAILED: timed out: command still running close to the $tmo s limit; the guest dumped blocked tasks and processes (console.log, dmesg.log)"
        elif [ $qrc = 124 ] || [ $qrc = 137 ]; then
            echo "vm: FAILED: timed out after $tmo s (guest hung?); no exit status from the guest"
        elif [ -f "$out/console.log" ] && grep -q 'Kernel panic' "$out/console.log"; then
            echo "vm: FAILED: guest kernel panicked (QEMU exited early, status $qrc); no exit status from the guest"
        else
            echo "vm: FAILED: QEMU exited early (status $qrc) before the guest wrote an exit status"
        fi
        if [ -s "$out/qemu.log" ]; then
            echo "--- QEMU messages ($out/qemu.log) ---"
            cat "$out/qemu.log"
        fi
        if [ -f "$out/console.log" ]; then
            echo "--- last 40 lines of $out/console.log ---"
            if [ -s "$out/console.log" ]; then tail -n 40 "$out/console.log"; else echo "(empty: the guest kernel printed nothing)"; fi
            echo "---"
        fi
        echo "$summary"
    } >&2
    if [ $interrupted = 1 ]; then exit 130; fi
    exit 1
    ;;
esac
echo "$summary" >&2
exit "$rc"
