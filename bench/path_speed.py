"""How long ``advisor path`` takes to search: the bundled rule base, profiles/example.yaml.

    python bench/path_speed.py [--runs N] [PROFILE ...]

Prints, per profile, the wall time of ``find_paths`` with the default goals (donor band one
better; no high or critical gap left) and up to 3 changes: the first call (rule base loaded
from its cache, evaluator built) and the median and worst of the next N calls in the same
process, plus the candidate changes considered. The goal (issue 16) is at most 1 s for the
example profile. Not part of the test suite. While the Profile model does not yet mark
fields ``actionable``, the test suite's stand-in (tests/path_specs.py) is used.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("profiles", nargs="*", type=Path, default=[REPO / "profiles" / "example.yaml"])
    args = parser.parse_args()

    from advisor.facts import catalogue
    from advisor.pathsearch import find_paths
    from advisor.profile_io import load_profile
    from advisor.rules.loader import load_rulebase
    from tests.path_specs import path_specs

    t0 = time.perf_counter()
    rulebase = load_rulebase()
    specs = path_specs()
    print(f"rule base: {len(rulebase.rules)} rules, loaded in {time.perf_counter() - t0:.3f} s; "
          f"catalogue: {'Profile model' if all(hasattr(s, 'actionable') for s in catalogue().values()) else 'stand-in'}")
    print(f"{'profile':40} {'first':>8} {'median':>8} {'worst':>8}  candidates  goals")
    for path in args.profiles:
        profile = load_profile(path)
        start = time.perf_counter()
        report = find_paths(profile, rulebase, specs=specs)
        first = time.perf_counter() - start
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            find_paths(profile, rulebase, specs=specs)
            times.append(time.perf_counter() - start)
        goals = "; ".join(f"{g.goal} {g.status}" for g in report.goals)
        print(f"{path.name:40} {first:7.3f}s {statistics.median(times):7.3f}s {max(times):7.3f}s  "
              f"{report.candidates:10}  {goals}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
