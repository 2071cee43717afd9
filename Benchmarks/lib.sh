# Shared by compare.sh and contention.sh (sourced, not run).

# The median of whitespace-separated figures (the mean of the middle two when
# there is an even number of them).
median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# The steps_per_s= figure of a benchmark's output line.
steps_per_s() { sed -n 's/.*steps_per_s=\([0-9.]*\).*/\1/p' <<<"$1"; }
