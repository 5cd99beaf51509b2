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

python3 - "$runs" "$bin" "$corpus" <<'PY'
import statistics, subprocess, sys, time
runs, bin, corpus = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def median(cmd):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), max(times)
size = __import__("os").path.getsize(f"{corpus}/big.sst")
ours = median([bin, "sst", "list", "--format", "json", f"{corpus}/big.sst"])
human = median([bin, "sst", "list", f"{corpus}/big.sst"])
ref = median(["openssl", "storeutl", "-noout", "-certs", f"{corpus}/b.pem"])
print(f"big.sst: {size} bytes, 10,000 certificates; {runs} runs each, median (min..max)")
for label, (m, lo, hi) in [("smimetrust sst list --format json", ours),
                           ("smimetrust sst list (human)", human),
                           ("openssl storeutl -noout -certs b.pem", ref)]:
    print(f"  {label:<40} {m*1000:8.1f} ms  ({lo*1000:.1f}..{hi*1000:.1f})")
print(f"  ratio openssl / smimetrust json: {ref[0]/ours[0]:.1f}x (target >= 10x; json target < 100 ms)")
PY

if [ "$criterion" = 1 ]; then
    echo "== criterion (crates/sst/benches/parse.rs)"
    SMIMETRUST_BENCH_SST="$PWD/$corpus/big.sst" cargo bench -q -p smimetrust-sst --bench parse -- --noplot 2>&1 \
        | grep -E "^sst/|time:|thrpt:|bench input|elements" || true
fi
