#!/usr/bin/env bash
# Chain-validation benchmark: one `smimetrust chain verify` call over N leaves versus
# `openssl verify -purpose smimesign` over the same files, measured in the same run, for
# 1,000 and 10,000 leaves (time and peak memory should grow linearly).
#
#   bench/chain.sh [--runs N]
#
# Needs python3 with `cryptography` (for ../shared/bench/make-corpus.py) and openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
[ "${1:-}" = "--runs" ] && runs="$2"
cargo build --release -q -p smimetrust
bin=$PWD/target/release/smimetrust
at=2026-06-01T00:00:00Z
epoch=$(date -d "$at" +%s)
for n in 1000 10000; do
    dir=target/bench-chain-$n
    if [ ! -f "$dir/MANIFEST.json" ]; then
        echo "== generating $dir ($n leaves)"
        python3 ../shared/bench/make-corpus.py "$dir" --leaves "$n" --messages 0 --sst-certs 0 >/dev/null
    fi
    echo "== $n leaves (RSA-2048, root -> 2 intermediates -> leaves), $runs runs each, ratio to the first row"
    python3 bench/timeit.py "$runs" \
        "smimetrust chain verify (one call)::$bin chain verify $dir/leaves --trust $dir/root.pem --intermediates $dir/intermediates.pem --at $at --format json" \
        "openssl verify -purpose smimesign::sh::exec openssl verify -CAfile $dir/root.pem -untrusted $dir/intermediates.pem -purpose smimesign -attime $epoch $dir/leaves/*.pem"
done
