#!/usr/bin/env python3
"""interleave.py RUNS LABEL::CMD...: one warm-up run of each CMD, then RUNS passes that run every
CMD once, in an order shuffled for each pass (a machine speeding up or slowing down moves all
of them alike, and none always runs first or after the same neighbour); output to /dev/null.

Prints "LABEL median-wall-ms best-wall-ms median-cpu-ms worst-exit" for each, CPU being the
child's user+sys (all its threads) from wait4. CMD is split on spaces (no shell); LABEL has no
spaces. Used by bench/verify.sh, bench/chain.sh and bench/sst.sh.
"""
import os, random, statistics, subprocess, sys, time
runs, specs = int(sys.argv[1]), [s.split("::", 1) for s in sys.argv[2:]]
def run(cmd):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    return (time.perf_counter() - t) * 1000, (ru.ru_utime + ru.ru_stime) * 1000, os.waitstatus_to_exitcode(status)
cmds = [c.split() for _, c in specs]
worst = [run(c)[2] for c in cmds]
walls, cpus = [[] for _ in cmds], [[] for _ in cmds]
order = list(range(len(cmds)))
for _ in range(runs):
    random.shuffle(order)
    for i in order:
        w, c, code = run(cmds[i])
        walls[i].append(w)
        cpus[i].append(c)
        worst[i] = max(worst[i], code)
for i, (label, _) in enumerate(specs):
    print(f"{label} {statistics.median(walls[i]):.2f} {min(walls[i]):.2f} {statistics.median(cpus[i]):.2f} {worst[i]}")
