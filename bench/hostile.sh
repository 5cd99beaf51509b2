#!/usr/bin/env bash
# Hostile inputs (bench/hostile.py: a signature part that is a 300,000-deep multipart, 200,000
# nested multiparts around a signature, 1.5 million parts, 2 MB and 20 MB of encoded words in
# From and Subject, 600,000 parameters, 1.5 million header lines) against the bound of issue 17:
# every input up to 20 MB ends in under 2 s with peak RSS under 64 MB plus three times its size,
# on one core (--jobs 1). Each is timed with /usr/bin/time, with a genuine signed message of
# about 20 MB (detached and opaque) as the reference in the same run. Prints time / 2 s,
# RSS / bound and time / the reference; exits 1 when a bound is broken.
#
#   bench/hostile.sh [--binary PATH]
#
# Figures (2026-12-07, the 2-core kind, release build): see docs/performance.md#hostile-inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=
[ "${1:-}" = --binary ] && { binary="$2"; shift 2; }
[ $# -eq 0 ] || { echo "usage: bench/hostile.sh [--binary PATH]" >&2; exit 2; }
for tool in python3 openssl; do
    command -v "$tool" >/dev/null || { echo "bench/hostile.sh: missing $tool" >&2; exit 3; }
done
/usr/bin/time -f %e true >/dev/null 2>&1 || { echo "bench/hostile.sh: missing GNU time" >&2; exit 3; }
if [ -z "$binary" ]; then
    cargo build --release --quiet -p smimetrust
    binary=target/release/smimetrust
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/smimetrust-hostile.XXXXXX")
trap 'rm -rf "$dir"' EXIT
python3 bench/hostile.py "$dir"
run() { # file -> "seconds kb"
    /usr/bin/time -f '%e %M' -o "$dir/.time" "$binary" verify "$1" --jobs 1 --format json \
        --trust fixtures/smime/pki/trust.pem --at 2026-06-01T00:00:00Z >"$dir/.out" 2>/dev/null || true
    tail -n 1 "$dir/.time"
}
read -r ref_s _ < <(run "$dir/reference-detached.eml")
printf '%-28s %9s %10s %8s %8s %8s  %s\n' input MB seconds "/2s" RSS/bound "/ref" status
fail=0
for f in "$dir"/*.eml; do
    read -r s kb < <(run "$f")
    bytes=$(stat -c %s "$f")
    bound_kb=$(( 64 * 1024 + 3 * bytes / 1024 ))
    status=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["status"], d["code"] or "")' "$dir/.out")
    awk -v n="$(basename "$f")" -v b="$bytes" -v s="$s" -v kb="$kb" -v bk="$bound_kb" -v r="$ref_s" -v st="$status" \
        'BEGIN { printf "%-28s %9.1f %10.2f %8.2f %8.2f %8.2f  %s\n", n, b/1e6, s, s/2, kb/bk, (r > 0 ? s/r : 0), st }'
    if awk -v s="$s" -v kb="$kb" -v bk="$bound_kb" 'BEGIN { exit !(s >= 2 || kb >= bk) }'; then
        fail=1
    fi
done
[ "$fail" = 0 ] || { echo "bench/hostile.sh: a bound is broken" >&2; exit 1; }
