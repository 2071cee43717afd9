#!/usr/bin/env bash
# The engine beside other busy programs: runs a flows-bench workload with the
# default threads and with one thread, alternately, with 0, 1 and 2 busy loops
# (`yes > /dev/null`) competing for the cores, and prints every figure and the
# medians. The default must never be slower than one thread.
#
#   Benchmarks/contention.sh [workload] [rounds] [steps]     (realnvp-2d 3 1500)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
workload=${1:-realnvp-2d}
rounds=${2:-3}
steps=${3:-1500}
swift build -c release --product flows-bench >/dev/null
bench=".build/release/flows-bench $workload --steps $steps"

hogs=()
stop_hogs() { for p in "${hogs[@]}"; do kill "$p" 2>/dev/null || true; done; hogs=(); }
trap stop_hogs EXIT

for busy in 0 1 2; do
    stop_hogs
    for ((h = 0; h < busy; h++)); do yes > /dev/null & hogs+=($!); done
    default="" single=""
    for ((r = 1; r <= rounds; r++)); do
        a=$(steps_per_s "$($bench | tail -n 1)")
        b=$(steps_per_s "$(NBFLOWS_THREADS=1 $bench | tail -n 1)")
        echo "busy=$busy round $r: default $a  one-thread $b"
        default+="$a " single+="$b "
    done
    echo "busy=$busy median steps_per_s: default $(median "$default")  one-thread $(median "$single")"
done
