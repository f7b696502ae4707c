"""Write a generated cohort for trying ``advisor benchmark`` and ``screen --cohort-stats``.

    python bench/cohort.py COUNT OUT.jsonl [--seed N]

COUNT valid profiles, one per line, drawn from the field catalogue with a fixed seed by the
benchmark's generator (bench/run.py); fictional, no names.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from run import SEED, write_jsonl


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    if args.out.exists():
        parser.error(f"{args.out} exists")
    write_jsonl(args.out, args.count, seed=args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
