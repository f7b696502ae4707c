"""How long ``advisor path`` takes: the bundled rule base, profiles/example.yaml by default.

    python bench/path_speed.py [--runs N] [PROFILE ...]

Run it with the interpreter of the environment advisor is installed in. Prints, per profile:

- ``search``: the wall time of ``find_paths`` with the default goals (donor rating one band
  better; no high or critical gap or risk left) and up to 3 changes, in one process: the
  first call and the median and worst of the next N;
- ``cli``: the wall time of the whole command ``advisor path PROFILE`` (a new process:
  start-up, rule base from its cache, search, report), median of N;
- the candidate changes considered and each goal's outcome.

The goal (issue 16) is at most 1 s for the example profile. Not part of the test suite.
"""

from __future__ import annotations

import argparse
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
    print(f"{'profile':36} {'search first':>12} {'median':>8} {'worst':>8} {'cli median':>11}  candidates  goals")
    for path in args.profiles:
        profile = load_profile(path)
        start = time.perf_counter()
        report = find_paths(profile, rulebase)
        first = time.perf_counter() - start
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            find_paths(profile, rulebase)
            times.append(time.perf_counter() - start)
        cli = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([*advisor, "path", str(path)], check=True, capture_output=True)
            cli.append(time.perf_counter() - start)
        goals = "; ".join(f"{g.goal} {g.status}" for g in report.goals)
        print(f"{path.name:36} {first:11.3f}s {statistics.median(times):7.3f}s {max(times):7.3f}s "
              f"{statistics.median(cli):10.3f}s  {report.candidates:10}  {goals}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
