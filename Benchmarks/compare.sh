#!/usr/bin/env bash
# Runs a workload of flows-bench and its peers alternately (A B A B ...) and
# prints every figure and the medians. The peers run from a Python virtual
# environment outside the repository (see Benchmarks/README.md for its setup).
#
#   Benchmarks/compare.sh realnvp-2d [rounds] [steps]
#   Benchmarks/compare.sh glow-digits [rounds] [steps]   (JAX scan peer: Benchmarks/peers/)
#   Benchmarks/compare.sh maf-2d|nsf-2d [rounds] [steps]   (zuko; Benchmarks/peers/)
#
# PEERS (default ~/peers) is the venv; ANCHORS (default ../shared/anchors) holds
# the peers' scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/lib.sh
workload=${1:?usage: compare.sh realnvp-2d|maf-2d|nsf-2d|glow-digits [rounds] [steps]}
rounds=${2:-3}
peers=${PEERS:-$HOME/peers}
anchors=${ANCHORS:-../shared/anchors}
swift build -c release --product flows-bench >/dev/null

case "$workload" in
realnvp-2d)
    steps=${3:-2000}
    commands=(
        ".build/release/flows-bench realnvp-2d --steps $steps"
        "$peers/bin/python $anchors/realnvp_jax.py $steps"
        "$peers/bin/python $anchors/realnvp_jax_scan.py $steps"
        "$peers/bin/python $anchors/realnvp_torch.py 1 $steps"
    ) ;;
maf-2d|nsf-2d)
    steps=${3:-2000}
    commands=(
        ".build/release/flows-bench $workload --steps $steps"
        "$peers/bin/python Benchmarks/peers/autoregressive_zuko.py ${workload%-2d} 1 $steps"
    ) ;;
glow-digits)
    steps=${3:-200}
    commands=(
        ".build/release/flows-bench glow-digits --steps $steps"
        "$peers/bin/python $anchors/glow_jax.py $steps"
        "$peers/bin/python Benchmarks/peers/glow_jax_scan.py $steps"
        "$peers/bin/python $anchors/glow_torch.py 1 $steps"
    ) ;;
*) echo "unknown workload $workload" >&2; exit 2 ;;
esac

declare -A figures
for ((r = 1; r <= rounds; r++)); do
    for c in "${commands[@]}"; do
        line=$($c 2>/dev/null | tail -n 1)
        echo "round $r: $line"
        v=$(steps_per_s "$line")
        figures[$c]+="$v "
    done
done
echo
for c in "${commands[@]}"; do
    printf 'median steps_per_s=%-8s %s\n' "$(median "${figures[$c]}")" "$c"
done
