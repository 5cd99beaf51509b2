#!/usr/bin/env bash
# SST benchmark: `smimetrust sst list --format json` on a 10,000-certificate store versus
# `openssl storeutl -noout -certs` on the same certificates as a PEM bundle, measured in the
# same run; with --baseline, an old smimetrust binary against the new one in paired rounds
# (new / old wall and CPU time); then the in-process criterion benches (framing, thumbprints,
# SHA-1 reference).
#
#   bench/sst.sh [--runs N] [--no-criterion] [--binary PATH] [--baseline PATH]
#
# --runs: runs of each timing, and paired rounds with --baseline (default 15); --no-criterion:
# skip the criterion benches (they build from this checkout with cargo); --binary: time this
# smimetrust binary instead of building target/release/smimetrust; --baseline: time this old
# smimetrust binary against the new one (--binary, or target/release/smimetrust).
# Needs python3 with `cryptography` (for ../shared/bench/make-corpus.py), openssl, and cargo
# unless --binary and --no-criterion are given.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=15
criterion=1
given=
baseline=
usage() { echo "usage: bench/sst.sh [--runs N] [--no-criterion] [--binary PATH] [--baseline PATH]" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || usage; runs="$2"; shift 2 ;;
        --no-criterion) criterion=0; shift ;;
        --binary) [ $# -ge 2 ] || usage; given="$2"; shift 2 ;;
        --baseline) [ $# -ge 2 ] || usage; baseline="$2"; shift 2 ;;
        *) usage ;;
    esac
done
case "$runs" in *[!0-9]*|""|0) echo "bench/sst.sh: --runs takes a number, at least 1" >&2; exit 2 ;; esac
[ -z "$given" ] || [ -x "$given" ] || { echo "bench/sst.sh: --binary $given: not an executable" >&2; exit 2; }
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "bench/sst.sh: --baseline $baseline: not an executable" >&2; exit 2; }

corpus=target/bench-corpus
if [ ! -f "$corpus/big.sst" ]; then
    echo "== generating $corpus (10,000-certificate big.sst)"
    python3 ../shared/bench/make-corpus.py "$corpus" --leaves 2 --messages 0 --sst-certs 10000 >/dev/null
fi
if [ -n "$given" ]; then
    source_bin=$given
else
    cargo build --release -q -p smimetrust
    source_bin=target/release/smimetrust
fi
# Copies: another build in this checkout may replace a binary mid-run.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/smimetrust-bench-sst.XXXXXX")
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
[ -f "$corpus/b.pem" ] || "$bin" sst convert "$corpus/big.sst" -o "$corpus/b.pem" --force >/dev/null 2>&1

echo "big.sst: $(stat -c %s "$corpus/big.sst") bytes, 10,000 certificates; $runs runs each, ratio to the first row"
python3 bench/timeit.py "$runs" \
    "smimetrust sst list --format json::$bin sst list --format json $corpus/big.sst" \
    "smimetrust sst list (human)::$bin sst list $corpus/big.sst" \
    "openssl storeutl -noout -certs b.pem::openssl storeutl -noout -certs $corpus/b.pem"
echo "  (targets: json under 100 ms; openssl at least 10x the json time)"

# interleave RUNS LABEL::CMD...: paired timings in shuffled order (see bench/interleave.py).
interleave() { python3 bench/interleave.py "$@"; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }
median() {
    printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'
}
range() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {print lo ".." hi}'; }

fail=0
if [ -n "$old_bin" ]; then
    echo "== new / old: $runs paired rounds (new and baseline interleaved in a shuffled order, median of 3 each), sst list json and human"
    jw=() jc=() hw=() hc=()
    for ((i = 0; i < runs; i++)); do
        timed=$(interleave 3 \
            "newjson::$bin sst list --format json $corpus/big.sst" "oldjson::$old_bin sst list --format json $corpus/big.sst" \
            "newhuman::$bin sst list $corpus/big.sst" "oldhuman::$old_bin sst list $corpus/big.sst")
        if awk '$5 != 0 { bad = 1 } END { exit !bad }' <<<"$timed"; then
            echo "  round $((i + 1)): a run failed: $(awk '$5 != 0 { printf "%s exit %s; ", $1, $5 }' <<<"$timed")"
            fail=1
        fi
        line=
        for form in json human; do
            read -r _ nw _ nc _ < <(awk -v l="new$form" '$1 == l' <<<"$timed")
            read -r _ ow _ oc _ < <(awk -v l="old$form" '$1 == l' <<<"$timed")
            rw=$(calc "$nw / $ow" 3)
            rc=$(calc "$nc / $oc" 3)
            if [ "$form" = json ]; then jw+=("$rw"); jc+=("$rc"); else hw+=("$rw"); hc+=("$rc"); fi
            line+="$form new $(calc "$nw" 1) / old $(calc "$ow" 1) ms = ${rw}x (CPU ${rc}x); "
        done
        echo "  round $((i + 1)): ${line%; }"
    done
    echo "  paired new / old, sst list --format json: wall median $(median "${jw[@]}")x (rounds $(range "${jw[@]}")x), CPU median $(median "${jc[@]}")x (rounds $(range "${jc[@]}")x)"
    echo "  paired new / old, sst list (human):       wall median $(median "${hw[@]}")x (rounds $(range "${hw[@]}")x), CPU median $(median "${hc[@]}")x (rounds $(range "${hc[@]}")x)"
    echo "  (within 5%: <= 1.05x)"
fi

if [ "$criterion" = 1 ]; then
    echo "== criterion (bench/benches/parse.rs)"
    SMIMETRUST_BENCH_SST="$PWD/$corpus/big.sst" cargo bench -q -p smimetrust-bench --bench parse -- --noplot 2>&1 \
        | grep -E "^sst/|time:|thrpt:|bench input|elements" || true
fi
exit "$fail"
