"""How long ``advisor path`` takes: the bundled rule base, profiles/example.yaml by default.

    python bench/path_speed.py [--runs N] [PROFILE ...]

Run it with the interpreter of the environment advisor is installed in. Prints, per profile:

- ``search``: the wall time of ``find_paths`` with the default goals (donor rating one band
  better; no high or critical gap or risk left) and up to 3 changes, in one process: the
  first call and the median and worst of the next N;
- ``cli``: the wall time of the whole command ``advisor path PROFILE`` (a new process:
  start-up, rule base from its cache, search, report), median of N;
- the CPU time of each (``cpu``): on a shared machine the wall time grows with the load,
  the CPU time much less; both are printed, with the load average;
- the candidate changes considered and each goal's outcome;
- for scale, the same two times for ``advisor assess PROFILE --format json``.

The goal (issue 16) is at most 1 s for the example profile. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("profiles", nargs="*", type=Path, default=[REPO / "profiles" / "example.yaml"])
    args = parser.parse_args()

    from advisor.pathsearch import find_paths
    from advisor.profile_io import load_profile
    from advisor.rules.loader import load_rulebase

    start = time.perf_counter()
    rulebase = load_rulebase()
    print(f"rule base: {len(rulebase.rules)} rules, loaded in {time.perf_counter() - start:.3f} s")
    advisor = [sys.executable, "-m", "advisor"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min) at start: {load:.2f} on {os.cpu_count()} cores")
    print(f"{'profile':36} {'search first':>12} {'median':>7} {'cpu':>7} {'worst':>7} {'cli median':>10} {'cpu':>7}"
          "  candidates  goals")
    for path in args.profiles:
        profile = load_profile(path)
        start = time.perf_counter()
        report = find_paths(profile, rulebase)
        first = time.perf_counter() - start
        times, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            find_paths(profile, rulebase)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        cli, cli_cpu = [], []
        for _ in range(args.runs):
            before = os.times()
            start = time.perf_counter()
            subprocess.run([*advisor, "path", str(path)], check=True, capture_output=True)
            cli.append(time.perf_counter() - start)
            after = os.times()
            cli_cpu.append(after.children_user + after.children_system - before.children_user - before.children_system)
        ref, ref_cpu = [], []
        for _ in range(args.runs):  # for scale: one assessment through the same command line
            before = os.times()
            start = time.perf_counter()
            subprocess.run([*advisor, "assess", str(path), "--format", "json"], check=True, capture_output=True)
            ref.append(time.perf_counter() - start)
            after = os.times()
            ref_cpu.append(after.children_user + after.children_system - before.children_user - before.children_system)
        goals = "; ".join(f"{g.goal} {g.status}" for g in report.goals)
        print(f"{path.name:36} {first:11.3f}s {statistics.median(times):6.3f}s {statistics.median(cpu):6.3f}s "
              f"{max(times):6.3f}s {statistics.median(cli):9.3f}s {statistics.median(cli_cpu):6.3f}s  "
              f"{report.candidates:10}  {goals}")
        print(f"{'  (advisor assess, for scale)':36} {'':>12} {'':>7} {'':>7} {'':>7} {statistics.median(ref):9.3f}s "
              f"{statistics.median(ref_cpu):6.3f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
