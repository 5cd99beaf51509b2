#!/usr/bin/env bash
# Builds target/pgo/smimetrust: the release binary, optimised with a profile of its own runs
# (profile-guided optimisation, rustc's -Cprofile-generate / -Cprofile-use with LLVM's
# llvm-profdata from the llvm-tools component). The same code as `cargo build --release`, laid
# out for the branches real runs take: about 7% less CPU and wall time on `smimetrust verify`
# (bench/verify.sh; the cryptography, most of that time, is AWS-LC's assembly and gains nothing).
#
#   scripts/pgo-build.sh
#
# Steps: an instrumented build (target/pgo/gen), training runs that write raw profiles
# (target/pgo/profiles), llvm-profdata merge, the optimised build (target/pgo/use), copied to
# target/pgo/smimetrust. About 5 minutes on 2 cores (two full release builds).
#
# The training runs are the committed fixtures (every verify case: RSA, PSS, ECDSA, Ed25519, DSA,
# BER, nested, LF-only, invalid ones; the demo store through check, sst and chain commands) and,
# when ../shared/bench/make-corpus.py and python3 with `cryptography` are there, a generated
# corpus of 400 messages of 8 KB by 100 leaves: not the benchmark's corpus (1,000 leaves, 20 KB),
# so that the benchmark measures a profile of other messages. Needs rustup (for llvm-tools,
# installed when missing). Exit 1 when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

host=$(rustc -vV | sed -n 's/^host: //p')
sysroot=$(rustc --print sysroot)
profdata="$sysroot/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
    rustup component add llvm-tools
fi
[ -x "$profdata" ] || { echo "scripts/pgo-build.sh: no llvm-profdata at $profdata" >&2; exit 1; }

work="$PWD/target/pgo"
rm -rf "$work/profiles" "$work/train"
mkdir -p "$work/profiles" "$work/train"

# --target: RUSTFLAGS then reach the workspace's crates and dependencies, not build scripts
# (AWS-LC's would write profiles of its own while building).
build() {
    local dir="$1" flags="$2"
    RUSTFLAGS="$flags" cargo build --release --locked -p smimetrust --target "$host" \
        --target-dir "$work/$dir"
}

echo "== instrumented build"
build gen "-Cprofile-generate=$work/profiles"
bin="$work/gen/$host/release/smimetrust"

echo "== training runs"
at=2026-06-01T00:00:00Z
train() { "$bin" "$@" >/dev/null 2>&1 || true; } # exit 1 (findings) is expected for some
if python3 -c 'import cryptography' 2>/dev/null && [ -f ../shared/bench/make-corpus.py ]; then
    python3 ../shared/bench/make-corpus.py "$work/train/corpus" --leaves 100 --messages 400 \
        --body-kb 8 --sst-certs 50 >/dev/null
    for format in json human; do
        train verify "$work/train/corpus/messages" --trust "$work/train/corpus/trust.pem" \
            --at "$at" --format "$format"
    done
    train chain verify "$work/train/corpus/leaves.pem" --trust "$work/train/corpus/trust.pem" --at "$at"
    train sst list "$work/train/corpus/big.sst"
    train check "$work/train/corpus/big.sst"
else
    echo "(no ../shared/bench/make-corpus.py or python3 cryptography: the fixtures alone)"
fi
for format in json human; do
    train verify fixtures/smime/messages --trust fixtures/smime/pki/trust.pem --format "$format"
    train verify fixtures/demo/messages --trust fixtures/demo/contoso-cas.sst --format "$format"
done
train verify fixtures/smime/messages/detached.p7s --trust fixtures/smime/pki/trust.pem \
    --content fixtures/smime/messages/detached.content.txt
train check fixtures/demo/contoso-cas.sst
train sst list fixtures/demo/contoso-cas.sst --format json
train sst create -o "$work/train/demo.sst" fixtures/demo/ca
train sst convert fixtures/demo/ca-bundle.p7b -o "$work/train/demo.pem"
train chain verify fixtures/demo/leaves --trust fixtures/demo/contoso-cas.sst
train exchange preflight fixtures/demo/contoso-cas.sst

echo "== merge"
"$profdata" merge -o "$work/smimetrust.profdata" "$work/profiles"

echo "== optimised build"
build use "-Cprofile-use=$work/smimetrust.profdata"
cp "$work/use/$host/release/smimetrust" "$work/smimetrust"
echo "target/pgo/smimetrust: $("$work/smimetrust" --version)"
