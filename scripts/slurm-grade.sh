#!/usr/bin/env bash
# Grade a class as a Slurm job array on a private single-node Slurm, then merge.
#
#   scripts/slurm-grade.sh NBRUN_BINARY PROJECT SUBMISSIONS OUTDIR SHARDS [GRADE_OPTION...]
#
# Starts munged, slurmctld and slurmd with every file (config, munge key,
# sockets, pids, logs, state, spool) in a temporary directory and ports on
# loopback, submits `sbatch --array=1-SHARDS --wait` whose task i runs
#
#   NBRUN_BINARY grade PROJECT --submissions SUBMISSIONS --shard i/SHARDS \
#       --out OUTDIR/part-i.csv --jobs 1 [GRADE_OPTION...]
#
# then `NBRUN_BINARY grade merge OUTDIR/part-*.json --out OUTDIR/grades.csv`.
# Task logs go to OUTDIR/logs/. Every daemon it started is stopped on exit.
# If Slurm or MUNGE is not installed or does not come up within 30 s, it prints
# one line `SKIP: reason` and exits 77. Run as root (SlurmUser=root).
# SLURM_GRADE_KEEP=1 keeps the temporary directory (daemon logs) for a look.
set -euo pipefail

# Daemons inherit the signal mask, and some callers block SIGTERM (swift test
# does): slurmd would not hear the TERM that stops it. Start again with every
# signal unblocked (dispositions as they are).
if [ -z "${SLURM_GRADE_UNBLOCKED:-}" ] && grep -q '^SigBlk:.*[1-9a-f]' /proc/self/status 2>/dev/null \
    && command -v perl >/dev/null 2>&1; then
    SLURM_GRADE_UNBLOCKED=1 exec perl -MPOSIX -e \
        'sigprocmask(SIG_SETMASK, POSIX::SigSet->new) or die "sigprocmask: $!\n"; exec @ARGV or die "exec: $!\n"' \
        "$BASH" "$0" "$@"
fi
unset SLURM_GRADE_UNBLOCKED

if [ $# -lt 5 ]; then
    echo "usage: $0 NBRUN_BINARY PROJECT SUBMISSIONS OUTDIR SHARDS [GRADE_OPTION...]" >&2
    exit 2
fi
abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd -P)" "$(basename "$1")"); }
NBRUN=$(abs "$1")
PROJECT=$(abs "$2")
SUBMISSIONS=$(abs "$3")
mkdir -p "$4"
OUTDIR=$(abs "$4")
SHARDS=$5
shift 5
GRADE_OPTIONS=("$@")
case "$SHARDS" in ''|*[!0-9]*|0) echo "SHARDS must be a positive integer, not '$SHARDS'" >&2; exit 2 ;; esac
[ -x "$NBRUN" ] || { echo "not an executable: $NBRUN" >&2; exit 2; }

STARTUP_SECONDS=${SLURM_GRADE_STARTUP_SECONDS:-30}
skip() { echo "SKIP: $*"; exit 77; }

for tool in munged mungekey munge unmunge slurmctld slurmd sbatch sinfo squeue scancel; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (apt-get install slurm-wlm munge)"
done
[ "$(id -u)" = 0 ] || skip "needs root to run slurmd and jobs as SlurmUser=root"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/slurm-grade.XXXXXX")
chmod 755 "$WORK"   # munged wants its socket's directories searchable by all
MUNGE_PID="" CTLD_PID="" SLURMD_PID=""

# Stop what this script started, job first, and wait until each daemon is gone.
stop_pid() {
    local pid=$1
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local status=$?
    set +e
    # Jobs still there (interrupted, or a failed array) are cancelled; the
    # cluster is this script's alone.
    if [ -n "$CTLD_PID" ] && kill -0 "$CTLD_PID" 2>/dev/null && [ -n "$(squeue -h -t PD,R,CG -o %i 2>/dev/null)" ]; then
        scancel --partition=grade 2>/dev/null
        for _ in $(seq 100); do
            [ -z "$(squeue -h -t PD,R,CG -o %i 2>/dev/null)" ] && break
            sleep 0.1
        done
    fi
    # Each slurmstepd keeps a socket in the spool until it is gone.
    for _ in $(seq 100); do
        compgen -G "$WORK/spool/localhost_*" >/dev/null || break
        sleep 0.1
    done
    stop_pid "$SLURMD_PID"
    stop_pid "$CTLD_PID"
    stop_pid "$MUNGE_PID"
    if [ -n "${SLURM_GRADE_KEEP:-}" ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Two free TCP ports on loopback, starting from Slurm's usual 6817.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ports=()
for p in $(seq 6817 6999); do
    port_free "$p" && ports+=("$p")
    [ ${#ports[@]} -ge 2 ] && break
done
[ ${#ports[@]} -ge 2 ] || skip "no two free TCP ports between 6817 and 6999"
CTLD_PORT=${ports[0]} SLURMD_PORT=${ports[1]}

# MUNGE with its own key, socket, pid, seed and log.
MUNGE_SOCKET=$WORK/munge-socket/munge.socket
mkdir -m 755 "$WORK/munge-socket"
mkdir -m 700 "$WORK/munge"
mungekey --create --keyfile="$WORK/munge/munge.key" >/dev/null 2>&1 || skip "mungekey could not create a key"
chmod 600 "$WORK/munge/munge.key"
munged --foreground --socket="$MUNGE_SOCKET" --key-file="$WORK/munge/munge.key" \
    --pid-file="$WORK/munge/munged.pid" --seed-file="$WORK/munge/munged.seed" \
    --log-file="$WORK/munge/munged.log" >"$WORK/munge/munged.out" 2>&1 &
MUNGE_PID=$!

log_tail() {
    local f
    for f in "$WORK"/munge/munged.log "$WORK"/munge/munged.out "$WORK"/slurmctld.log "$WORK"/slurmd.log; do
        [ -s "$f" ] && { echo "--- $f" >&2; tail -n 15 "$f" >&2; }
    done
    return 0
}
deadline=$((SECONDS + STARTUP_SECONDS))
until munge -n -S "$MUNGE_SOCKET" 2>/dev/null | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>&1; do
    if ! kill -0 "$MUNGE_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
        log_tail
        skip "munged did not come up: $(tail -n 1 "$WORK/munge/munged.out" 2>/dev/null || true)"
    fi
    sleep 0.2
done

# The node as the machine is, as slurmd itself measures it.
node=$(slurmd -C 2>/dev/null | grep -m 1 '^NodeName=' || true)
CPUS=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$node")
MEMORY=$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$node")
if [ -n "$CPUS" ] && [ -n "$MEMORY" ]; then
    HARDWARE=${node#NodeName=* }   # CPUs, boards, sockets, cores, threads, memory
else
    CPUS=$(nproc)
    MEMORY=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
    HARDWARE="CPUs=$CPUS RealMemory=$MEMORY"
fi

# Slurm binds the daemons' ports to the address the host name resolves to with
# these options, and to every address without them: bind where that is loopback.
comm_params=""
case "$(getent hosts "$(hostname)" | awk '{ print $1; exit }')" in
    127.*|::1) comm_params="CommunicationParameters=NoCtldInAddrAny,NoInAddrAny" ;;
esac

mkdir -m 700 "$WORK/state" "$WORK/spool"
export SLURM_CONF=$WORK/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=nbrun-grade
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
$comm_params
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
PlugStackConfig=$WORK/plugstack.conf
MailProg=/bin/true
ReturnToService=2
# Keep finished jobs' records: sbatch --wait then polls every 2 s instead of
# backing off to 32 s, and still finds every task's exit code.
MinJobAge=0
SchedulerType=sched/backfill
NodeName=localhost NodeAddr=127.0.0.1 NodeHostname=localhost $HARDWARE State=UNKNOWN
PartitionName=grade Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
: >"$WORK/plugstack.conf"

slurmctld -D -i -f "$SLURM_CONF" >"$WORK/slurmctld.out" 2>&1 &
CTLD_PID=$!
slurmd -D -N localhost -f "$SLURM_CONF" >"$WORK/slurmd.out" 2>&1 &
SLURMD_PID=$!

until [ "$(sinfo -h -n localhost -o %t 2>/dev/null)" = idle ]; do
    for name in slurmctld slurmd; do
        pid_var=$([ $name = slurmctld ] && echo CTLD_PID || echo SLURMD_PID)
        if ! kill -0 "${!pid_var}" 2>/dev/null; then
            log_tail
            skip "$name exited at start: $(tail -n 1 "$WORK/$name.out" 2>/dev/null || true)"
        fi
    done
    if [ $SECONDS -ge $deadline ]; then
        log_tail
        skip "slurm did not bring node localhost up within ${STARTUP_SECONDS}s (state: $(sinfo -h -n localhost -o %t 2>&1 | head -n 1))"
    fi
    sleep 0.5
done
echo "slurm up: slurmctld on 127.0.0.1:$CTLD_PORT, slurmd on 127.0.0.1:$SLURMD_PORT, node localhost CPUs=$CPUS RealMemory=$MEMORY (${SECONDS}s)"

# The job array: one shard per task.
mkdir -p "$OUTDIR/logs"
rm -f "$OUTDIR"/part-*.csv "$OUTDIR"/part-*.json
{
    echo '#!/bin/bash'
    echo 'set -eu'
    printf '%q grade %q --submissions %q --shard "$SLURM_ARRAY_TASK_ID/%s" --out %q/part-"$SLURM_ARRAY_TASK_ID".csv --jobs 1' \
        "$NBRUN" "$PROJECT" "$SUBMISSIONS" "$SHARDS" "$OUTDIR"
    for option in ${GRADE_OPTIONS[@]+"${GRADE_OPTIONS[@]}"}; do printf ' %q' "$option"; done
    echo
} >"$WORK/grade-job.sh"

set +e
submitted=$(sbatch --wait --parsable --job-name=grade --array="1-$SHARDS" --ntasks=1 --cpus-per-task=1 \
    --chdir="$(pwd -P)" --output="$OUTDIR/logs/part-%a.out" "$WORK/grade-job.sh" 2>"$WORK/sbatch.err")
job_status=$?
set -e
echo "job array ${submitted%%;*}: $SHARDS tasks, sbatch --wait exited $job_status (${SECONDS}s)"
if [ $job_status -ne 0 ]; then
    cat "$WORK/sbatch.err" >&2
    for f in "$OUTDIR"/logs/part-*.out; do [ -e "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }; done
    log_tail
    echo "error: the grading job array failed" >&2
    exit 1
fi

parts=()
for i in $(seq 1 "$SHARDS"); do
    [ -f "$OUTDIR/part-$i.json" ] || { echo "error: shard $i wrote no $OUTDIR/part-$i.json" >&2; exit 1; }
    parts+=("$OUTDIR/part-$i.json")
done
"$NBRUN" grade merge "${parts[@]}" --out "$OUTDIR/grades.csv"
echo "merged $SHARDS shards into $OUTDIR/grades.csv (${SECONDS}s)"
