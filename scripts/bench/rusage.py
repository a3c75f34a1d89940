#!/usr/bin/env python3
"""Runs one command and prints its wall time, CPU time and peak RSS as JSON (os.wait4).
Used by scripts/bench.ts: Node has no portable way to read a child's rusage."""
import json, os, subprocess, sys, time

t0 = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
_, status, ru = os.wait4(p.pid, 0)
wall = time.perf_counter() - t0
print(json.dumps({"wall_ms": wall * 1000, "cpu_ms": (ru.ru_utime + ru.ru_stime) * 1000, "maxrss_kib": ru.ru_maxrss, "exit": os.waitstatus_to_exitcode(status)}))
