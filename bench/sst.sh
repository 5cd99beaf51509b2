#!/usr/bin/env bash
# SST benchmark: `smimetrust sst list --format json` on a 10,000-certificate store versus
# `openssl storeutl -noout -certs` on the same certificates as a PEM bundle, measured in the
# same run; then the in-process criterion benches (framing, thumbprints, SHA-1 reference).
#
#   bench/sst.sh [--runs N] [--no-criterion]
#
# Needs python3 with `cryptography` (for ../shared/bench/make-corpus.py) and openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=15
criterion=1
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --no-criterion) criterion=0; shift ;;
        *) echo "usage: bench/sst.sh [--runs N] [--no-criterion]" >&2; exit 2 ;;
    esac
done

corpus=target/bench-corpus
if [ ! -f "$corpus/big.sst" ]; then
    echo "== generating $corpus (10,000-certificate big.sst)"
    python3 ../shared/bench/make-corpus.py "$corpus" --leaves 2 --messages 0 --sst-certs 10000 >/dev/null
fi
cargo build --release -q -p smimetrust
bin=target/release/smimetrust
[ -f "$corpus/b.pem" ] || "$bin" sst convert "$corpus/big.sst" -o "$corpus/b.pem" --force >/dev/null 2>&1

echo "big.sst: $(stat -c %s "$corpus/big.sst") bytes, 10,000 certificates; $runs runs each, ratio to the first row"
python3 bench/timeit.py "$runs" \
    "smimetrust sst list --format json::$bin sst list --format json $corpus/big.sst" \
    "smimetrust sst list (human)::$bin sst list $corpus/big.sst" \
    "openssl storeutl -noout -certs b.pem::openssl storeutl -noout -certs $corpus/b.pem"
echo "  (targets: json under 100 ms; openssl at least 10x the json time)"

if [ "$criterion" = 1 ]; then
    echo "== criterion (crates/sst/benches/parse.rs)"
    SMIMETRUST_BENCH_SST="$PWD/$corpus/big.sst" cargo bench -q -p smimetrust-sst --bench parse -- --noplot 2>&1 \
        | grep -E "^sst/|time:|thrpt:|bench input|elements" || true
fi
