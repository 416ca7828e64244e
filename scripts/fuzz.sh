#!/usr/bin/env bash
# fuzz.sh - runs every fuzz target of the module (every `func FuzzX(` in a test file, so a new
# target needs no entry here), one at a time:
# `go test -fuzz` takes one target per run. Each runs FUZZTIME (default 10s) with at most
# FUZZ_PARALLEL (default 2) workers. With FUZZ_BUDGET (seconds) the whole run stays within it:
# each package's fuzzing binary is built first, then each target gets at most its share of what is
# left, less the most that starting and replaying a corpus has cost a target before it, so more
# targets (or a cold build cache) mean shorter runs rather than a longer total. Prints each
# target's time and the total. A failure stops at once: the crasher is in the package's
# testdata/fuzz/FuzzX/, to be fixed and committed with the fix.
#
#   scripts/fuzz.sh                          # 10s each
#   FUZZTIME=60s scripts/fuzz.sh             # make fuzz
#   FUZZTIME=10s FUZZ_BUDGET=120 scripts/fuzz.sh   # make test: two minutes at most in all
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-10s}
parallel=${FUZZ_PARALLEL:-2}
budget=${FUZZ_BUDGET:-}
[[ $fuzztime =~ ^([0-9]+)s$ ]] || die "FUZZTIME must be whole seconds such as 10s, got $fuzztime"
per=${BASH_REMATCH[1]}
[[ -z $budget || $budget =~ ^[0-9]+$ ]] || die "FUZZ_BUDGET must be whole seconds, got $budget"

# Fuzz functions are found in the test files themselves: `go test -list` would build every
# package's test binary first (two minutes from a cold cache), for a list grep gives at once.
listed=$SECONDS
targets=()
while IFS=: read -r file line; do
	name=${line#func }
	targets+=("./$(dirname "$file") ${name%%(*}")
done < <(git ls-files -co --exclude-standard -- '*_test.go' | LC_ALL=C sort | xargs grep -H -E '^func Fuzz[A-Za-z0-9_]*\(' || true)
((${#targets[@]} > 0)) || die "no fuzz targets found"
log "${#targets[@]} targets (listed in $((SECONDS - listed))s), ${fuzztime} each${budget:+, ${budget}s in all at most}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

start=$SECONDS
# Build each package's instrumented test binary first (a run of one input), so that the runs
# below cost alike: their time outside fuzzing is then starting up and replaying the corpus.
built=" "
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	[[ $built == *" $pkg "* ]] && continue
	go test -run '^$' -fuzz "^${name}\$" -fuzztime 1x -parallel 1 "$pkg" >"$out" 2>&1 || {
		cat "$out" >&2
		die "$name ($pkg) failed; its crasher is under $(go list -f '{{.Dir}}' "$pkg")/testdata/fuzz/$name/"
	}
	built+="$pkg "
done
log "built the fuzzing binaries in $((SECONDS - start))s"
overhead=0 # the most a run has spent outside fuzzing so far: starting, replaying the corpus
left=${#targets[@]}
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	secs=$per
	if [[ -n $budget ]]; then
		share=$(((budget - (SECONDS - start)) / left - overhead))
		((share < secs)) && secs=$share
		((secs < 1)) && secs=1
	fi
	began=$SECONDS
	go test -run '^$' -fuzz "^${name}\$" -fuzztime "${secs}s" -parallel "$parallel" "$pkg" >"$out" 2>&1 || {
		cat "$out" >&2
		die "$name ($pkg) failed; its crasher is under $(go list -f '{{.Dir}}' "$pkg")/testdata/fuzz/$name/"
	}
	took=$((SECONDS - began))
	((took - secs > overhead)) && overhead=$((took - secs))
	left=$((left - 1))
	log "$name ($pkg): ${secs}s of fuzzing, ${took}s in all"
done
log "total: $((SECONDS - start))s of fuzz runs for ${#targets[@]} targets ($((SECONDS - listed))s with the listing)"
