#!/usr/bin/env python3
"""Time whole commands: one warm-up, then N runs each; print medians and ratios to the first.

    timeit.py RUNS LABEL::CMD [LABEL::CMD ...]

CMD is split on spaces (no shell); `LABEL::sh::SCRIPT` runs SCRIPT with `sh -c` (for globs too
long for one argument). Output goes to /dev/null. Peak RSS from wait4().
"""
import os, statistics, subprocess, sys, time

def run(cmd):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - t, usage.ru_maxrss, os.waitstatus_to_exitcode(status)

def main():
    runs = int(sys.argv[1])
    results = []
    for spec in sys.argv[2:]:
        label, cmd = spec.split("::", 1)
        cmd = ["sh", "-c", cmd[4:]] if cmd.startswith("sh::") else cmd.split()
        _, _, code = run(cmd)  # warm-up
        samples = [run(cmd) for _ in range(runs)]
        times = [s[0] for s in samples]
        results.append((label, statistics.median(times), min(times), max(times), max(s[1] for s in samples), code))
    base = results[0][1]
    for label, med, lo, hi, rss, code in results:
        print(f"  {label:<44} {med*1000:9.1f} ms ({lo*1000:.1f}..{hi*1000:.1f})  peak {rss/1024:6.1f} MB  exit {code}  x{med/base:.2f}")

if __name__ == "__main__":
    main()
