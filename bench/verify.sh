#!/usr/bin/env bash
# S/MIME verify benchmark: one `smimetrust verify` call over 1,000 detached multipart/signed
# messages (RSA-2048, SHA-256, 20 KB bodies, one leaf per message) versus a shell loop of
# `openssl cms -verify` over the same files, measured in the same run; smimetrust's cost per
# message against this machine's crypto floor (`openssl speed`: RSA-2048 verify, SHA-256 of
# 20 KB); the same with only the root trusted (each message brings its intermediate, whose
# signature should be verified once per run, so it should cost no more); 1,000 versus 10,000
# messages (time should grow linearly and peak memory stay flat: messages are verified in
# batches); the 1,000 messages dropped from the page cache before each run (read from the
# disk, with read-ahead); `--jobs 1` versus the default (one thread per core). In the paired
# rounds, also against the strongest OpenSSL peer, ../shared/bench/openssl-cms-batch.c (one
# process, trust store loaded once, CMS_verify on 1 and on 2 threads; compiled into the run's
# scratch directory, skipped with a message when cc or the OpenSSL headers are missing), and,
# with --baseline, an old smimetrust binary against the new one (new / old wall and CPU time).
#
#   bench/verify.sh [--runs N] [--openssl-runs N] [--no-jobs] [--binary PATH] [--baseline PATH]
#
# --runs: runs of each smimetrust timing (median) and paired rounds (default 5); --openssl-runs:
# runs of the openssl loop (default 3, about 20 s each); --no-jobs: skip the --jobs 1 row;
# --binary: time this smimetrust binary (e.g. target/pgo/smimetrust from scripts/pgo-build.sh)
# instead of building target/release/smimetrust; --baseline: time this old smimetrust binary
# against the new one (--binary, or target/release/smimetrust) in the paired rounds (the
# rounds' spread shows the machine's noise; to tell a difference of a few percent, use --runs 15
# or more, and check the plumbing with a binary against a copy of itself).
# Corpora go to ${TMPDIR:-/tmp}/smimetrust-bench-verify, reused when complete (marker
# .corpus-ok) and removed at the end unless KEEP=1 (about 270 MB, 30 s to make).
# Needs cargo (unless --binary is given), python3 with `cryptography` (for
# ../shared/bench/make-corpus.py), openssl and GNU time (/usr/bin/time -v); cc and the OpenSSL
# headers (Debian: libssl-dev) for openssl-cms-batch. Exit 1 when the verification results are
# wrong or disagree, 2 on usage, 3 when a tool is missing.
#
# Figures (2026-12-06 16:00, the same 2-core kind, a quiet hour: openssl speed's RSA-2048
# verify 16.2-16.5 us, 19.7 us in one round), two full runs of 5 paired rounds back to back.
# The profile-guided build (scripts/pgo-build.sh, --binary target/pgo/smimetrust): whole-run
# median 1.466x (best 1.389x), marginal median 1.363x (best 1.312x); 1,000 messages 38.5 ms,
# 128x the openssl loop (4,929 ms); 10,000 messages 283 ms; CPU 60 / 550 ms; peak RSS 7.9 / 9.1
# MB; cold page cache x1.55; --jobs 1 x1.86. `cargo build --release`: whole-run median 1.514x
# (best 1.499x), marginal median 1.417x (best 1.383x); 1,000 messages 44.9 ms, 116x the loop;
# 10,000 messages 329 ms; CPU 80 / 610 ms; peak RSS 7.7 / 9.1 MB; cold x1.33; --jobs 1 x1.78.
# Paired against the plain build (31 runs, 15 for 10,000): the profile-guided one takes 7-9%
# less CPU and wall time, with byte-identical output. Earlier the same day, a busier hour (RSA
# 16.2-17.2 us but our 2-core runs slower): the plain build of the session's start, whole-run
# median 1.715x, marginal 1.584x. Running both cores costs 8-25% more CPU a message than one
# (the same profile, every function slower: the host's shared caches and clocks), which is why
# a busy host moves our 2-core wall time more than openssl speed's 1-core loop.
# 2026-12-06 12:00-12:39 (the session before: batches queued two at a time, SignerInfo read in
# place, fewer allocations), plain build: quiet host whole-run 1.46-1.53x, marginal 1.36-1.44x;
# busy host (RSA 18.2-24.3 us) whole-run 1.79-1.81x, marginal 1.64-1.67x; against its starting
# binary, paired (31 runs): 1,000 messages wall -12%, CPU -8%; 10,000 wall -11%, CPU -10%.
# Before (2026-12-03 18:40, a new machine of the same 2-core kind, noisy: openssl speed's
# RSA-2048 verify 25.9-28.0 us within the run; one message per rayon job, each PATH stat'ed
# once): 1,000 messages 76.1 ms vs 8,074 ms for the openssl loop = 106x; wall/msg 76.1 us =
# 1.75x the 43.6 us floor (1.07x with 2 verifies); paired rounds median 1.96x, best 1.75x;
# 10,000 messages 563 ms; peak RSS 8.1 / 9.7 MB; the 1,000 messages dropped from the page cache
# first 92.0 ms (x1.21); --jobs 1 x1.86 (x1.60-1.69 before: rayon's adaptive split left a
# quarter of each batch to one core); CPU/msg 130 us, 140 us with --trust root.pem only.
# A profile of the 1,000-message run (2026-12-06): RSA 36% of the CPU (aws-lc's verify is a
# little faster than `openssl speed` reports, which counts its EVP set-up), SHA-256 of the
# content 15%, the kernel 14% (reading the files 6%, opening and closing them 4.5%), DER
# decoding 8%, allocation 5%, MIME headers 3%, the rest of verification and output 19%.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
oruns=3
jobs_row=1
given=
baseline=
usage() { echo "usage: bench/verify.sh [--runs N] [--openssl-runs N] [--no-jobs] [--binary PATH] [--baseline PATH]" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) [ $# -ge 2 ] || usage; runs="$2"; shift 2 ;;
        --openssl-runs) [ $# -ge 2 ] || usage; oruns="$2"; shift 2 ;;
        --no-jobs) jobs_row=0; shift ;;
        --binary) [ $# -ge 2 ] || usage; given="$2"; shift 2 ;;
        --baseline) [ $# -ge 2 ] || usage; baseline="$2"; shift 2 ;;
        *) usage ;;
    esac
done
case "$runs$oruns" in *[!0-9]*|"") echo "bench/verify.sh: --runs and --openssl-runs take a number" >&2; exit 2 ;; esac
if [ "$runs" -lt 1 ] || [ "$oruns" -lt 1 ]; then
    echo "bench/verify.sh: at least 1 run" >&2
    exit 2
fi
# Checked before anything is made or removed (the exit trap below removes the corpora).
[ -z "$given" ] || [ -x "$given" ] || { echo "bench/verify.sh: --binary $given: not an executable" >&2; exit 2; }
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "bench/verify.sh: --baseline $baseline: not an executable" >&2; exit 2; }

missing=()
for tool in python3 openssl awk sort; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -n "$given" ] || command -v cargo >/dev/null 2>&1 || missing+=("cargo (or pass --binary PATH)")
/usr/bin/time -v true >/dev/null 2>&1 || missing+=("GNU time at /usr/bin/time (apt-get install -y time)")
[ -f ../shared/bench/make-corpus.py ] || missing+=("../shared/bench/make-corpus.py")
if [ ${#missing[@]} -gt 0 ]; then
    printf 'bench/verify.sh: missing: %s\n' "${missing[@]}" >&2
    exit 3
fi

at=2026-06-01T00:00:00Z
epoch=$(date -u -d "$at" +%s) # 1780272000
body_kb=20
small=1000
large=10000
cores=$(nproc)
base=${TMPDIR:-/tmp}/smimetrust-bench-verify
mkdir -p "$base"
scratch=$(mktemp -d "$base/run.XXXXXX")
cleanup() {
    rm -rf "$scratch"
    if [ "${KEEP:-0}" = 1 ]; then
        echo "(KEEP=1: corpora kept in $base)"
    else
        rm -rf "$base"
    fi
}
trap cleanup EXIT

if [ -n "$given" ]; then
    source_bin=$given
else
    cargo build --release -q -p smimetrust
    source_bin=target/release/smimetrust
fi
# A copy: another build in this checkout may replace the binary mid-run.
bin=$scratch/smimetrust
cp "$source_bin" "$bin"
old_bin=
if [ -n "$baseline" ]; then
    old_bin=$scratch/smimetrust-baseline
    cp "$baseline" "$old_bin"
fi

# The strongest OpenSSL peer, compiled here; batch stays empty (and the comparison is skipped)
# when it cannot be built.
batch=
batch_src=../shared/bench/openssl-cms-batch.c
if [ ! -f "$batch_src" ]; then
    batch_note="$batch_src not found"
elif ! command -v cc >/dev/null 2>&1; then
    batch_note="no C compiler (cc; Debian: apt-get install gcc)"
elif ! echo '#include <openssl/cms.h>' | cc -E -x c - >/dev/null 2>&1; then
    batch_note="the OpenSSL headers are missing (openssl/cms.h; Debian: apt-get install libssl-dev)"
elif ! cc -O2 -o "$scratch/openssl-cms-batch" "$batch_src" -lcrypto -lpthread 2>"$scratch/cc.txt"; then
    batch_note="$batch_src did not compile: $(head -c 300 "$scratch/cc.txt")"
else
    batch=$scratch/openssl-cms-batch
fi
[ -n "$batch" ] || echo "bench/verify.sh: skipping the openssl-cms-batch comparison: $batch_note" >&2

# corpus N: DIR with N messages signed by 1,000 leaves (made once, reused while the marker fits).
corpus() {
    local n=$1 dir=$base/m$1
    local args="--leaves 1000 --messages $n --body-kb $body_kb --sst-certs 10"
    if [ "$(cat "$dir/.corpus-ok" 2>/dev/null)" != "$args" ]; then
        echo "== generating $dir ($n messages)" >&2
        rm -rf "$dir"
        # shellcheck disable=SC2086
        python3 ../shared/bench/make-corpus.py "$dir" $args >/dev/null
        echo "$args" >"$dir/.corpus-ok"
    fi
    echo "$dir"
}
c1=$(corpus $small)
c2=$(corpus $large)
# The first $few messages of the 1,000 (each with its own leaf too): the marginal cost of a
# message, (t(1,000) - t($few)) / (1,000 - $few), leaves out what a run costs once whatever its
# size (process start, trust load, thread pool, the first messages' cold caches, exit).
few=100
c0=$c1/first$few
if [ ! -f "$c0/.ok" ]; then
    rm -rf "$c0"
    mkdir -p "$c0/messages"
    mapfile -t all_messages < <(find "$c1/messages" -maxdepth 1 -name '*.eml' | sort)
    cp -t "$c0/messages" "${all_messages[@]:0:$few}"
    cp "$c1/trust.pem" "$c0/"
    touch "$c0/.ok"
fi

# The openssl side: one process per message, as a mail script would; prints the successes.
loop=$scratch/openssl-loop.sh
cat >"$loop" <<'EOF'
ok=0
for f in "$1"/messages/*.eml; do
    openssl cms -verify -in "$f" -CAfile "$1/trust.pem" -purpose smimesign -attime "$2" -out /dev/null 2>/dev/null && ok=$((ok + 1))
done
echo "$ok"
EOF

vcmd() { # DIR TRUST [extra args]: the smimetrust command line, into the array `cmd`
    local dir=$1 trust=$2
    shift 2
    cmd=("$bin" verify "$dir/messages" --trust "$dir/$trust" --at "$at" --format json "$@")
}

# statuses FILE: "valid=N other=M" from the JSON lines (the top-level status of each message).
statuses() {
    python3 - "$1" <<'EOF'
import collections, json, sys
c = collections.Counter(json.loads(l)["status"] for l in open(sys.argv[1]) if l.strip())
print(c.get("valid", 0), sum(c.values()) - c.get("valid", 0), " ".join(f"{k}={v}" for k, v in sorted(c.items())))
EOF
}

# median_ms LABEL: the median that timeit.py printed for LABEL (from $timed).
median_ms() {
    awk -v l="$1" 'index($0, "  " l " ") == 1 { for (i = 1; i <= NF; i++) if ($i == "ms") { print $(i - 1); exit } }' <<<"$timed"
}

# median N...: the median of the numbers given.
median() {
    printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'
}

# rusage RUNS CMD...: CMD RUNS times under /usr/bin/time -v, output to /dev/null; prints
# "median-user+sys-seconds max-peak-RSS-kB worst-exit-code".
rusage() {
    local n=$1 i code worst=0 cpus=() rss=0 line
    shift
    for ((i = 0; i < n; i++)); do
        code=0
        /usr/bin/time -v -o "$scratch/time.txt" "$@" >/dev/null 2>/dev/null || code=$?
        [ "$code" -gt "$worst" ] && worst=$code
        line=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} /Maximum resident set size/ {m = $2} END {print u + s, m}' "$scratch/time.txt")
        cpus+=("${line% *}")
        [ "${line#* }" -gt "$rss" ] && rss=${line#* }
    done
    echo "$(median "${cpus[@]}") $rss $worst"
}

calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }

# interleave RUNS LABEL::CMD...: paired timings in shuffled order (see bench/interleave.py).
interleave() { python3 bench/interleave.py "$@"; }

# best N...: the smallest of the numbers given; worst N...: the largest.
best() { printf '%s\n' "$@" | sort -g | head -1; }
worst() { printf '%s\n' "$@" | sort -g | tail -1; }

bcmd() { # THREADS: the openssl-cms-batch command line over the $small messages, into `cmd`
    cmd=("$batch" -CAfile "$c1/trust.pem" -attime "$epoch" -j "$1" "$c1/messages")
}

echo "machine: $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
load=$(cut -d' ' -f1 /proc/loadavg)
awk "BEGIN { exit !($load > $cores / 2) }" \
    && echo "warning: load average $load on $cores cores: other work competes, wall times and ratios come out worse than on an idle machine"
echo "binary: $source_bin as built at the start ($($bin --version 2>/dev/null || echo smimetrust), sha256 $(sha256sum "$bin" | cut -c1-12))"
[ -n "$old_bin" ] && echo "baseline: $baseline ($($old_bin --version 2>/dev/null || echo smimetrust), sha256 $(sha256sum "$old_bin" | cut -c1-12))"
[ -n "$batch" ] && echo "openssl-cms-batch: $batch_src compiled with cc -O2 against $(openssl version 2>/dev/null)"
echo "corpus: RSA-2048 root -> 2 intermediates -> 1,000 leaves; detached multipart/signed, SHA-256, ${body_kb} KB bodies; validated at $at"
fail=0

echo "== results: every message must verify, for both tools"
code=0
vcmd "$c1" trust.pem
"${cmd[@]}" >"$scratch/v1.json" 2>/dev/null || code=$?
read -r st_valid st_other st_all < <(statuses "$scratch/v1.json")
echo "  smimetrust verify, $small messages: $st_all (exit $code)"
code2=0
vcmd "$c2" trust.pem
"${cmd[@]}" >"$scratch/v2.json" 2>/dev/null || code2=$?
read -r st2_valid _ st2_all < <(statuses "$scratch/v2.json")
echo "  smimetrust verify, $large messages: $st2_all (exit $code2)"
code3=0
vcmd "$c1" root.pem
"${cmd[@]}" >"$scratch/v3.json" 2>/dev/null || code3=$?
read -r st3_valid _ st3_all < <(statuses "$scratch/v3.json")
echo "  smimetrust verify, $small messages, --trust root.pem only: $st3_all (exit $code3)"
os_valid=$(sh "$loop" "$c1" "$epoch")
echo "  openssl cms -verify loop, $small messages: $os_valid verified, $((small - os_valid)) failed"
extra_ok=1
if [ -n "$old_bin" ]; then
    code4=0
    cmd=("$old_bin" verify "$c1/messages" --trust "$c1/trust.pem" --at "$at" --format json)
    "${cmd[@]}" >"$scratch/v4.json" 2>/dev/null || code4=$?
    read -r st4_valid st4_other st4_all < <(statuses "$scratch/v4.json")
    same=$(cmp -s "$scratch/v1.json" "$scratch/v4.json" && echo "the same output as the new binary" || echo "output differs from the new binary's")
    echo "  baseline smimetrust verify, $small messages: $st4_all (exit $code4; $same)"
    if [ "$st4_valid" != "$small" ] || [ "$st4_other" != 0 ] || [ "$code4" != 0 ]; then extra_ok=0; fi
fi
if [ -n "$batch" ]; then
    for j in 1 2; do
        codeb=0
        bcmd "$j"
        outb=$("${cmd[@]}" 2>/dev/null) || codeb=$?
        echo "  openssl-cms-batch -j$j, $small messages: ${outb:-no output} (exit $codeb)"
        [ "$outb" = "$small/$small valid" ] && [ "$codeb" = 0 ] || extra_ok=0
    done
fi
if [ "$st_valid" != "$small" ] || [ "$st_other" != 0 ] || [ "$code" != 0 ] || [ "$os_valid" != "$small" ] \
    || [ "$st2_valid" != "$large" ] || [ "$code2" != 0 ] || [ "$st3_valid" != "$small" ] || [ "$code3" != 0 ] \
    || [ "$extra_ok" != 1 ]; then
    echo "  DISAGREE: expected all $small (and $large) valid from smimetrust (and the baseline) and all $small from openssl"
    fail=1
else
    echo "  agree: all valid"
fi

echo "== wall time: smimetrust, $runs runs each (median), ratio to the first row"
# timeit.py splits commands on spaces: the paths must have none.
vcmd "$c1" trust.pem
specs=("verify $small (default jobs)::${cmd[*]}")
if [ "$jobs_row" = 1 ]; then
    vcmd "$c1" trust.pem --jobs 1
    specs+=("verify $small --jobs 1::${cmd[*]}")
fi
vcmd "$c2" trust.pem
specs+=("verify $large (default jobs)::${cmd[*]}")
vcmd "$c1" root.pem
specs+=("verify $small, --trust root.pem only::${cmd[*]}")
timed=$(python3 bench/timeit.py "$runs" "${specs[@]}")
echo "$timed"
t1=$(median_ms "verify $small (default jobs)")
t2=$(median_ms "verify $large (default jobs)")
tj=""
[ "$jobs_row" = 1 ] && tj=$(median_ms "verify $small --jobs 1")
echo "  (timeit.py's peak column is at least its own Python process's RSS, which Linux carries"
echo "   over into the child's exec: the real peak RSS is the /usr/bin/time figure below)"

echo "== wall time: openssl cms -verify, one process per message, $oruns runs (median)"
timed=$(python3 bench/timeit.py "$oruns" "openssl cms -verify loop ($small)::sh::exec sh $loop $c1 $epoch")
echo "$timed"
to=$(median_ms "openssl cms -verify loop ($small)")
speedup=$(calc "$to / $t1" 1)
echo "  smimetrust is ${speedup}x faster than the openssl loop (target >= 50x)"

echo "== CPU time and peak memory (/usr/bin/time -v), $runs runs each: median user+sys, largest peak RSS"
vcmd "$c1" trust.pem
read -r cpu1 rss1 e1 < <(rusage "$runs" "${cmd[@]}")
vcmd "$c2" trust.pem
read -r cpu2 rss2 e2 < <(rusage "$runs" "${cmd[@]}")
vcmd "$c1" root.pem
read -r cpur rssr er < <(rusage "$runs" "${cmd[@]}")
echo "  verify $small:  user+sys $(calc "$cpu1 * 1000" 0) ms, peak RSS $(calc "$rss1 / 1024" 1) MB (exit $e1)"
echo "  verify $large: user+sys $(calc "$cpu2 * 1000" 0) ms, peak RSS $(calc "$rss2 / 1024" 1) MB (exit $e2)"
echo "  verify $small, --trust root.pem only: user+sys $(calc "$cpur * 1000" 0) ms, peak RSS $(calc "$rssr / 1024" 1) MB (exit $er)"
if [ "$e1" != 0 ] || [ "$e2" != 0 ] || [ "$er" != 0 ]; then
    echo "  a timed run failed"
    fail=1
fi

echo "== crypto floor on this machine (openssl speed, one core)"
rsa_vps=$(openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $NF}')
sha_k=$(openssl speed -seconds 3 -bytes $((body_kb * 1024)) -evp sha256 2>/dev/null | awk '$1 == "sha256" {sub("k", "", $2); print $2}')
if [ -z "$rsa_vps" ] || [ -z "$sha_k" ]; then
    echo "bench/verify.sh: could not read the openssl speed figures" >&2
    exit 3
fi
rsa_us=$(calc "1e6 / $rsa_vps" 2)
sha_us=$(calc "$body_kb * 1024 / ($sha_k * 1000) * 1e6" 2)
floor1=$(calc "$rsa_us + $sha_us" 1)
floor2=$(calc "2 * $rsa_us + $sha_us" 1)
echo "  RSA-2048 verify: $rsa_vps/s = $rsa_us us; SHA-256 of $body_kb KB: ${sha_k} kB/s = $sha_us us"
echo "  floor per message: 1 verify + hash = $floor1 us; 2 verifies + hash = $floor2 us"
echo "  (each message needs 2 RSA verifications here: the leaf certificate's signature and the"
echo "   message signature, since every leaf signs one message when leaves = messages; the"
echo "   intermediates are trust anchors in trust.pem; the small hashes of the leaf TBS and the"
echo "   signed attributes are left out)"
wall_us=$(calc "$t1 * 1000 / $small" 1)
wall2_us=$(calc "$t2 * 1000 / $large" 1)
cpu_us=$(calc "$cpu1 * 1e6 / $small" 1)
cpu2_us=$(calc "$cpu2 * 1e6 / $large" 1)
echo "  smimetrust per message ($large): wall $wall2_us us = $(calc "$wall2_us / $floor1" 2)x / $(calc "$wall2_us / $floor2" 2)x the floor (start-up spread wider; and its"
echo "   1,000 leaves sign 10 messages each, so after the first 1,000 messages a leaf's own signature is"
echo "   already verified: from there each message needs 1 RSA verification, not 2)"
echo "  smimetrust per message ($small): wall $wall_us us = $(calc "$wall_us / $floor1" 2)x / $(calc "$wall_us / $floor2" 2)x the floor (1 / 2 verifies)"
echo "                                  CPU  $cpu_us us = $(calc "$cpu_us / $floor1" 2)x / $(calc "$cpu_us / $floor2" 2)x the floor (1 / 2 verifies)  (target <= 1.5x)"
echo "                                  CPU  $cpu2_us us = $(calc "$cpu2_us / $floor1" 2)x / $(calc "$cpu2_us / $floor2" 2)x in the $large-message run (1 us resolution there;"
echo "                                  the $small-message CPU figures have 10 us: /usr/bin/time counts 10 ms)"
echo "  (wall time uses all $cores cores: its floor on this machine is $(calc "$floor2 / $cores" 1) us for 2 verifies + hash)"
cpur_us=$(calc "$cpur * 1e6 / $small" 1)
delta_r=$(awk "BEGIN { printf \"%+.1f\", $cpur_us - $cpu_us }")
echo "  with --trust root.pem only (each message brings its intermediate): CPU $cpur_us us/msg,"
echo "   $delta_r us against trust.pem; about 0 expected: the intermediates' signatures (the same"
echo "   2 intermediates in every message) should be verified once per run, not once per message;"
echo "   a re-verified intermediate costs at least an RSA verify (>= $rsa_us us) per message"

echo "== per message against the floor, paired: $runs rounds of (openssl speed rsa2048, 1 s; then"
echo "   smimetrust verify $small and $few of them$([ -n "$batch" ] && echo ", openssl-cms-batch -j1 and -j2 on the $small")$([ -n "$old_bin" ] && echo ", the baseline on the $small"),"
echo "   interleaved in a shuffled order, median of 3 each), the ratio taken round by round, so a"
echo "   machine that speeds up or slows down during the run moves both sides together; per message:"
echo "   the whole run's wall time / $small, and the marginal cost (t($small) - t($few)) / $((small - few))"
vcmd "$c1" trust.pem
specs=("paired::${cmd[*]}")
vcmd "$c0" trust.pem
specs+=("few::${cmd[*]}")
if [ -n "$batch" ]; then
    bcmd 1
    specs+=("batch1::${cmd[*]}")
    bcmd 2
    specs+=("batch2::${cmd[*]}")
fi
if [ -n "$old_bin" ]; then
    cmd=("$old_bin" verify "$c1/messages" --trust "$c1/trust.pem" --at "$at" --format json)
    specs+=("old::${cmd[*]}")
fi
# pick LABEL FIELD: from $timed (interleave's output), 2 = median wall ms, 3 = best, 4 = median
# CPU ms, 5 = worst exit code.
pick() { awk -v l="$1" -v f="$2" '$1 == l { print $f }' <<<"$timed"; }
ratios=()
mratios=()
b1ratios=()
b2ratios=()
owratios=()
ocratios=()
for ((i = 0; i < runs; i++)); do
    vps_i=$(openssl speed -seconds 1 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $NF}')
    timed=$(interleave 3 "${specs[@]}")
    ms_i=$(pick paired 2)
    ms_few=$(pick few 2)
    if [ -z "$vps_i" ] || [ -z "$ms_i" ] || [ -z "$ms_few" ]; then
        echo "bench/verify.sh: a paired round gave no figure" >&2
        exit 3
    fi
    for l in paired few batch1 batch2 old; do
        e=$(pick "$l" 5)
        if [ -n "$e" ] && [ "$e" != 0 ]; then
            echo "  a paired round's $l run failed (exit $e)"
            fail=1
        fi
    done
    floor_i=$(calc "1e6 / $vps_i + $sha_us" 2)
    ratio_i=$(calc "$ms_i * 1000 / $small / $floor_i" 3)
    marginal_i=$(calc "($ms_i - $ms_few) * 1000 / ($small - $few)" 1)
    mratio_i=$(calc "$marginal_i / $floor_i" 3)
    ratios+=("$ratio_i")
    mratios+=("$mratio_i")
    echo "  round $((i + 1)): floor $floor_i us (RSA $(calc "1e6 / $vps_i" 2) us), wall/msg $(calc "$ms_i * 1000 / $small" 1) us = ${ratio_i}x, marginal $marginal_i us = ${mratio_i}x ($few messages: $(calc "$ms_few" 1) ms)"
    if [ -n "$batch" ]; then
        b1=$(pick batch1 2)
        b2=$(pick batch2 2)
        b1ratios+=("$(calc "$ms_i / $b1" 3)")
        b2ratios+=("$(calc "$ms_i / $b2" 3)")
        echo "           smimetrust $(calc "$ms_i" 1) ms; openssl-cms-batch -j1 $(calc "$b1" 1) ms, -j2 $(calc "$b2" 1) ms: smimetrust / it ${b1ratios[-1]}x, ${b2ratios[-1]}x"
    fi
    if [ -n "$old_bin" ]; then
        ow=$(pick old 2)
        oc=$(pick old 4)
        nc=$(pick paired 4)
        owratios+=("$(calc "$ms_i / $ow" 3)")
        ocratios+=("$(calc "$nc / $oc" 3)")
        echo "           new $(calc "$ms_i" 1) ms (CPU $(calc "$nc" 1) ms), baseline $(calc "$ow" 1) ms (CPU $(calc "$oc" 1) ms): new / old wall ${owratios[-1]}x, CPU ${ocratios[-1]}x"
    fi
done
paired=$(median "${ratios[@]}")
paired_best=$(best "${ratios[@]}")
mpaired=$(median "${mratios[@]}")
mpaired_best=$(best "${mratios[@]}")
echo "  paired wall/msg against the 1-verify floor: median ${paired}x, best ${paired_best}x (target <= 1.5x)"
echo "  paired marginal wall/msg against the 1-verify floor: median ${mpaired}x, best ${mpaired_best}x (target <= 1.5x)"
if [ -n "$batch" ]; then
    b1med=$(median "${b1ratios[@]}")
    b1best=$(best "${b1ratios[@]}")
    b2med=$(median "${b2ratios[@]}")
    b2best=$(best "${b2ratios[@]}")
    echo "  paired wall, smimetrust / openssl-cms-batch -j1: median ${b1med}x, best ${b1best}x (below 1: smimetrust faster)"
    echo "  paired wall, smimetrust / openssl-cms-batch -j2: median ${b2med}x, best ${b2best}x"
else
    echo "  (openssl-cms-batch skipped: $batch_note)"
fi
if [ -n "$old_bin" ]; then
    owmed=$(median "${owratios[@]}")
    ocmed=$(median "${ocratios[@]}")
    echo "  paired new / old, $small messages: wall median ${owmed}x (rounds $(best "${owratios[@]}")..$(worst "${owratios[@]}")x),"
    echo "   CPU median ${ocmed}x (rounds $(best "${ocratios[@]}")..$(worst "${ocratios[@]}")x) (below 1: the new binary faster; within 5%: <= 1.05x)"
fi

echo "== linearity: $small vs $large messages"
lin=$(calc "$t2 / $t1" 2)
echo "  wall $t1 ms vs $t2 ms: x$lin (10 = linear); peak RSS $(calc "$rss1 / 1024" 1) MB vs $(calc "$rss2 / 1024" 1) MB"

echo "== messages not in the page cache: $runs runs, the $small message files dropped from the page"
echo "   cache (posix_fadvise DONTNEED) before every run, so that they are read from the disk"
# cold_ms DIR RUNS CMD...: the median wall ms of CMD, DIR's files dropped from the cache first.
cold_ms() {
    python3 - "$@" <<'EOF'
import os, statistics, subprocess, sys, time
folder, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
walls = []
for _ in range(runs):
    for name in os.listdir(folder):
        fd = os.open(os.path.join(folder, name), os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
    t = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    walls.append((time.monotonic() - t) * 1000)
print(f"{statistics.median(walls):.1f}")
EOF
}
vcmd "$c1" trust.pem
tc=$(cold_ms "$c1/messages" "$runs" "${cmd[@]}")
echo "  $tc ms, x$(calc "$tc / $t1" 2) the time in the page cache ($t1 ms)"

if [ -n "$tj" ]; then
    echo "== parallelism: --jobs 1 vs default ($cores cores)"
    echo "  $tj ms vs $t1 ms: speed-up x$(calc "$tj / $t1" 2)"
fi

mark() { awk "BEGIN { exit !($1) }" && echo ok || echo MISS; }
echo
echo "== summary"
printf '  %-46s %-26s %s\n' "what" "figure" "target"
printf '  %-46s %-26s %s\n' "results (smimetrust / openssl, $small msgs)" "$st_valid / $os_valid valid" "all $small: $([ "$fail" = 0 ] && echo ok || echo FAIL)"
printf '  %-46s %-26s %s\n' "smimetrust verify, $small msgs (median)" "$t1 ms" ""
printf '  %-46s %-26s %s\n' "openssl cms -verify loop, $small msgs (median)" "$to ms" ""
printf '  %-46s %-26s %s\n' "speed-up over the openssl loop" "${speedup}x" ">= 50x: $(mark "$speedup >= 50")"
printf '  %-46s %-26s %s\n' "floor/msg: 1 / 2 RSA verifies + SHA-256 20 KB" "$floor1 / $floor2 us" ""
printf '  %-46s %-26s %s\n' "wall/msg (x floor 1 / 2 verifies)" "$wall_us us ($(calc "$wall_us / $floor1" 2) / $(calc "$wall_us / $floor2" 2))" "<= 1.5x (1 verify, the issue's floor), on $cores cores: $(mark "$wall_us / $floor1 <= 1.5")"
printf '  %-46s %-26s %s\n' "wall/msg, paired with the floor (median, best)" "${paired}x, ${paired_best}x" "<= 1.5x (1 verify), on $cores cores: $(mark "$paired <= 1.5")"
printf '  %-46s %-26s %s\n' "marginal wall/msg, paired (median, best)" "${mpaired}x, ${mpaired_best}x" "<= 1.5x (1 verify), on $cores cores: $(mark "$mpaired <= 1.5")"
printf '  %-46s %-26s %s\n' "wall/msg, $large msgs (leaves signing 10 each)" "$wall2_us us ($(calc "$wall2_us / $floor1" 2) / $(calc "$wall2_us / $floor2" 2))" "<= 1.5x (1 verify): $(mark "$wall2_us / $floor1 <= 1.5")"
printf '  %-46s %-26s %s\n' "CPU/msg (x floor 1 / 2 verifies)" "$cpu_us us ($(calc "$cpu_us / $floor1" 2) / $(calc "$cpu_us / $floor2" 2))" "<= 1.5x (2 verifies): $(mark "$cpu_us / $floor2 <= 1.5")"
printf '  %-46s %-26s %s\n' "CPU/msg, $large msgs (leaves signing 10 each)" "$cpu2_us us ($(calc "$cpu2_us / $floor1" 2) / $(calc "$cpu2_us / $floor2" 2))" "<= 1.5x (2 verifies): $(mark "$cpu2_us / $floor2 <= 1.5")"
printf '  %-46s %-26s %s\n' "$large / $small msgs wall time" "x$lin ($t2 ms)" "~10: $(mark "$lin <= 12")"
printf '  %-46s %-26s %s\n' "peak RSS $small / $large msgs" "$(calc "$rss1 / 1024" 1) / $(calc "$rss2 / 1024" 1) MB" "flat: $(mark "$rss2 <= 2 * $rss1")"
printf '  %-46s %-26s %s\n' "CPU/msg, --trust root.pem only" "$cpur_us us ($delta_r)" "~$cpu_us: $(mark "$cpur_us - $cpu_us < $rsa_us + 10")"
printf '  %-46s %-26s %s\n' "$small msgs not in the page cache" "$tc ms (x$(calc "$tc / $t1" 2))" ""
[ -n "$tj" ] && printf '  %-46s %-26s %s\n' "--jobs 1 / default, $small msgs" "x$(calc "$tj / $t1" 2) ($tj ms)" "~$cores"
if [ -n "$batch" ]; then
    printf '  %-46s %-26s %s\n' "smimetrust / openssl-cms-batch -j1, paired" "${b1med}x, best ${b1best}x" ""
    printf '  %-46s %-26s %s\n' "smimetrust / openssl-cms-batch -j2, paired" "${b2med}x, best ${b2best}x" ""
else
    printf '  %-46s %-26s %s\n' "smimetrust / openssl-cms-batch" "skipped" "$batch_note"
fi
if [ -n "$old_bin" ]; then
    printf '  %-46s %-26s %s\n' "new / old wall, $small msgs, paired (median)" "${owmed}x" "<= 1.05x: $(mark "$owmed <= 1.05")"
    printf '  %-46s %-26s %s\n' "new / old CPU, $small msgs, paired (median)" "${ocmed}x" "<= 1.05x: $(mark "$ocmed <= 1.05")"
fi
echo "  (load average $(cut -d' ' -f1-3 /proc/loadavg) at the end: other work on the machine inflates wall times)"
if [ "$fail" != 0 ]; then
    echo "bench/verify.sh: verification results are wrong or disagree (see above)" >&2
    exit 1
fi
