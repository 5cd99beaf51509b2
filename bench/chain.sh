#!/usr/bin/env bash
# Chain-validation benchmark: one `smimetrust chain verify` call over N leaves versus
# `openssl verify -purpose smimesign` over the same files, measured in the same run, for
# 1,000 and 10,000 leaves (time and peak memory should grow linearly); with --baseline, an old
# smimetrust binary against the new one in paired rounds (new / old wall and CPU time).
#
#   bench/chain.sh [--runs N] [--binary PATH] [--baseline PATH]
#
# --runs: runs of each timing, and paired rounds with --baseline (default 5); --binary: time
# this smimetrust binary instead of building target/release/smimetrust; --baseline: time this
# old smimetrust binary against the new one (--binary, or target/release/smimetrust).
# Needs python3 with `cryptography` (for ../shared/bench/make-corpus.py), openssl, and cargo
# unless --binary is given.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
given=
baseline=
usage() { echo "usage: bench/chain.sh [--runs N] [--binary PATH] [--baseline PATH]" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || usage; runs="$2"; shift 2 ;;
        --binary) [ $# -ge 2 ] || usage; given="$2"; shift 2 ;;
        --baseline) [ $# -ge 2 ] || usage; baseline="$2"; shift 2 ;;
        *) usage ;;
    esac
done
case "$runs" in *[!0-9]*|""|0) echo "bench/chain.sh: --runs takes a number, at least 1" >&2; exit 2 ;; esac
[ -z "$given" ] || [ -x "$given" ] || { echo "bench/chain.sh: --binary $given: not an executable" >&2; exit 2; }
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "bench/chain.sh: --baseline $baseline: not an executable" >&2; exit 2; }
if [ -n "$given" ]; then
    source_bin=$given
else
    cargo build --release -q -p smimetrust
    source_bin=target/release/smimetrust
fi
# Copies: another build in this checkout may replace a binary mid-run.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/smimetrust-bench-chain.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
bin=$scratch/smimetrust
cp "$source_bin" "$bin"
echo "binary: $source_bin ($("$bin" --version 2>/dev/null || echo smimetrust), sha256 $(sha256sum "$bin" | cut -c1-12))"
old_bin=
if [ -n "$baseline" ]; then
    old_bin=$scratch/smimetrust-baseline
    cp "$baseline" "$old_bin"
    echo "baseline: $baseline ($("$old_bin" --version 2>/dev/null || echo smimetrust), sha256 $(sha256sum "$old_bin" | cut -c1-12))"
fi
at=2026-06-01T00:00:00Z
epoch=$(date -d "$at" +%s)

# interleave RUNS LABEL::CMD...: paired timings in shuffled order (see bench/interleave.py).
interleave() { python3 bench/interleave.py "$@"; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }
median() {
    printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'
}
range() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {print lo ".." hi}'; }

fail=0
for n in 1000 10000; do
    dir=target/bench-chain-$n
    if [ ! -f "$dir/MANIFEST.json" ]; then
        echo "== generating $dir ($n leaves)"
        python3 ../shared/bench/make-corpus.py "$dir" --leaves "$n" --messages 0 --sst-certs 0 >/dev/null
    fi
    args="chain verify $dir/leaves --trust $dir/root.pem --intermediates $dir/intermediates.pem --at $at --format json"
    echo "== $n leaves (RSA-2048, root -> 2 intermediates -> leaves), $runs runs each, ratio to the first row"
    python3 bench/timeit.py "$runs" \
        "smimetrust chain verify (one call)::$bin $args" \
        "openssl verify -purpose smimesign::sh::exec openssl verify -CAfile $dir/root.pem -untrusted $dir/intermediates.pem -purpose smimesign -attime $epoch $dir/leaves/*.pem"
    if [ -n "$old_bin" ]; then
        echo "== new / old, $n leaves: $runs paired rounds (new and baseline interleaved in a shuffled order, median of 3 each)"
        walls=()
        cpus=()
        for ((i = 0; i < runs; i++)); do
            timed=$(interleave 3 "new::$bin $args" "old::$old_bin $args")
            read -r _ nw _ nc ne < <(awk '$1 == "new"' <<<"$timed")
            read -r _ ow _ oc oe < <(awk '$1 == "old"' <<<"$timed")
            if [ "$ne" != 0 ] || [ "$oe" != 0 ]; then
                echo "  round $((i + 1)): a run failed (new exit $ne, old exit $oe)"
                fail=1
            fi
            walls+=("$(calc "$nw / $ow" 3)")
            cpus+=("$(calc "$nc / $oc" 3)")
            echo "  round $((i + 1)): new $(calc "$nw" 1) ms (CPU $(calc "$nc" 1) ms), old $(calc "$ow" 1) ms (CPU $(calc "$oc" 1) ms): new / old wall ${walls[-1]}x, CPU ${cpus[-1]}x"
        done
        echo "  paired new / old, $n leaves: wall median $(median "${walls[@]}")x (rounds $(range "${walls[@]}")x), CPU median $(median "${cpus[@]}")x (rounds $(range "${cpus[@]}")x) (within 5%: <= 1.05x)"
    fi
done
exit "$fail"
