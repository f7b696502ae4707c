"""advisor's benchmark: four measurements, each against a goal, each a comparison made in one run.

    python bench/run.py            # the full run (several minutes)
    python bench/run.py --quick    # fewer repetitions and smaller batches (goals still checked)

Run it with the interpreter of the environment advisor is installed in; the ``advisor``
console script beside it is what is measured. Profiles are generated here from the Profile
model's field catalogue with a fixed seed (no hypothesis). See bench/README.md for the method
and bench/RESULTS.md for recorded figures. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED = 20231
REGISTRY_SIZE = 18_204



# --- profiles ------------------------------------------------------------------------------

def _value(spec: Any, rng: random.Random) -> Any:
    lo = spec.ge if spec.ge is not None else 0
    hi = spec.le if spec.le is not None else 1000
    if spec.kind == "bool":
        return rng.random() < 0.5
    if spec.kind == "int":  # favour small values, where the thresholds are
        top = int(hi) if rng.random() < 0.3 else max(int(lo), min(int(hi), int(lo) + 40))
        return rng.randint(int(lo), top)
    if spec.kind == "number":
        if rng.random() < 0.7:
            return float(rng.randint(int(lo), min(int(hi), 100)))
        return round(rng.uniform(lo, hi), 2)
    if spec.kind == "choice":
        return rng.choice(spec.choices)
    if spec.kind == "choices":
        return rng.sample(list(spec.choices), rng.randint(0, len(spec.choices)))
    if spec.kind == "rating":
        return {"level": rng.randint(1, 4)}
    if spec.kind == "string":
        return rng.choice(("KZ", "KG")) if spec.path.endswith("country") else rng.choice(("USD", "KZT"))
    return None


class ProfileGenerator:
    """Valid profile dicts drawn from the field catalogue, each field answered with some rate."""

    def __init__(self, seed: int = SEED, answer_rate: float = 0.7) -> None:
        from advisor.facts import catalogue
        from advisor.profile import SCHEMA_VERSION
        from advisor.profile_fixups import SHARE_FIELDS

        self.rng = random.Random(seed)
        self.answer_rate = answer_rate
        self.version = SCHEMA_VERSION
        self.specs = [
            s for s in catalogue().values()
            if not s.path.endswith(("donor_names", "evidence"))
            and s.path.split(".")[1] not in SHARE_FIELDS and s.path != "funding.largest_source_pct"
        ]

    def __call__(self, n: int) -> dict[str, Any]:
        rng = self.rng
        data: dict[str, Any] = {"schema_version": self.version}
        for spec in self.specs:
            if rng.random() < self.answer_rate:
                section, name = spec.path.split(".")
                value = f"Organisation {n}" if spec.path == "organisation.name" else _value(spec, rng)
                data.setdefault(section, {})[name] = value
        cuts = sorted(rng.randint(0, 100) for _ in range(4))
        shares = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], cuts[3] - cuts[2]]
        funding = data.setdefault("funding", {})
        from advisor.profile_fixups import SHARE_FIELDS, make_consistent

        for name, share in zip(SHARE_FIELDS, shares):
            if rng.random() < self.answer_rate:
                funding[name] = float(share)
        if rng.random() < self.answer_rate:
            funding["largest_source_pct"] = float(rng.randint(0, 100))
        return make_consistent(data)
        return data


def write_jsonl(path: Path, count: int, seed: int = SEED) -> None:
    gen = ProfileGenerator(seed)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps(gen(n), separators=(",", ":")) + "\n")


# --- helpers --------------------------------------------------------------------------------

def advisor_cmd() -> list[str]:
    script = Path(sys.executable).parent / "advisor"
    return [str(script)] if script.exists() else [sys.executable, "-m", "advisor"]


def wall(cmd: list[str], **kw: Any) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.decode()[-400:]}")
    return elapsed


def screen_available() -> bool:
    done = subprocess.run([*advisor_cmd(), "screen", "--help"], capture_output=True, text=True)
    return done.returncode == 0 and "--jobs" in done.stdout


Row = tuple[str, str, str, str]  # metric, measured, goal, met


def yes(ok: bool | None) -> str:
    return "n/a" if ok is None else ("yes" if ok else "NO")


def say(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


# --- (1) one assessment from the command line ---------------------------------------------------

def bench_cli(runs: int) -> list[Row]:
    assess = [*advisor_cmd(), "assess", str(REPO / "profiles" / "example.yaml"), "--format", "json"]
    bare = [sys.executable, "-c", "pass"]
    wall(assess)  # warm the OS file cache and advisor's rule-base cache
    wall(bare)
    no_cache = {**os.environ, "ADVISOR_NO_CACHE": "1"}
    a: list[float] = []
    b: list[float] = []
    c: list[float] = []
    for _ in range(runs):
        b.append(wall(bare))
        a.append(wall(assess))
        c.append(wall(assess, env=no_cache))
    ma, mb, mc = statistics.median(a), statistics.median(b), statistics.median(c)
    ratio = ma / mb
    trace = subprocess.run([sys.executable, "-X", "importtime", "-m", "advisor", *assess[-4:]],
                           capture_output=True, text=True).stderr
    rich = any(line.split("|")[-1].strip().startswith("rich") for line in trace.splitlines())
    return [
        ("assess --format json, median wall (s)", f"{ma:.3f} (bare python {mb:.3f}; {runs} runs each)", "", ""),
        ("  assess / bare interpreter", f"{ratio:.1f}x", "<= 12x", yes(ratio <= 12)),
        ("  same, rule-base cache off (ADVISOR_NO_CACHE=1)", f"{mc:.3f} s, {mc / mb:.1f}x", "", ""),
        ("  assess --format json imports rich", "yes" if rich else "no", "no", yes(not rich)),
    ]


# --- (2) a national registry --------------------------------------------------------------------

def bench_registry(tmp: Path, count: int, runs: int) -> list[Row]:
    name = f"screen {count:,} profiles --jobs 2"
    if not screen_available():
        return [(name, "not available (no 'advisor screen' with --jobs)", "< 10 s", "n/a")]
    registry = tmp / "registry.jsonl"
    write_jsonl(registry, count, seed=SEED + 1)
    base = [*advisor_cmd(), "screen", str(registry), "--format", "csv", "--jobs", "2"]
    durable: list[float] = []
    reference: list[float] = []
    for _ in range(runs):
        durable.append(wall([*base, "--engine", "durable"]))
        reference.append(wall([*base, "--engine", "reference"]))
    d, r = statistics.median(durable), statistics.median(reference)
    limit = 10.0 * count / REGISTRY_SIZE
    return [
        (f"{name} (durable), wall s", f"{d:.2f} ({count / d:,.0f}/s)", f"< {limit:.1f} s", yes(d < limit)),
        ("  same with --engine reference, wall s", f"{r:.2f}", "", ""),
        ("  durable / reference", f"{d / r:.2f}x", "<= 2x", yes(d / r <= 2)),
    ]


# --- (3) growth with the rule base -------------------------------------------------------------

CITATION = {
    "source": "ref-kz-2023", "section": "Synthetic benchmark", "quote": "A synthetic rule for the benchmark only",
    "statement": "KZ23-IW-1",
}
DOC = {
    "what": "A synthetic threshold rule made by bench/run.py.",
    "why": "It measures how evaluation time grows with the number of rules.",
    "example": {},
    "action": "Nothing: this rule exists only in a temporary benchmark rule base.",
}


def _synthetic_condition(spec: Any, rng: random.Random, fire_share: float) -> dict[str, Any] | None:
    """A test on ``spec`` that holds for roughly ``fire_share`` of answered values."""
    lo = spec.ge if spec.ge is not None else 0
    if spec.kind == "bool":
        return {"field": spec.path, "op": "eq", "value": rng.random() < 0.5}
    if spec.kind == "rating":
        return {"field": spec.path, "op": "lte", "value": rng.choice((1, 2))}
    if spec.kind == "int":
        return {"field": spec.path, "op": "lt", "value": int(lo) + max(1, int(40 * fire_share * rng.uniform(0.5, 1.5)))}
    if spec.kind == "number":
        hi = spec.le if spec.le is not None else 100
        return {"field": spec.path, "op": "gt", "value": round(min(hi, 100) * (1 - fire_share * rng.uniform(0.5, 1.5)), 1)}
    if spec.kind == "choice":
        return {"field": spec.path, "op": "eq", "value": rng.choice(spec.choices)}
    if spec.kind == "choices":
        return {"field": spec.path, "op": "contains", "value": rng.choice(spec.choices)}
    return None


def build_rulebase(root: Path, n_rules: int, seed: int) -> None:
    """``n_rules`` rule files: ~80 % findings on real fields (two tests each, ~10 % firing
    alone), ~20 % recommendations chained on one or two findings."""
    from advisor.areas import AREAS
    from advisor.facts import catalogue

    rng = random.Random(seed)
    specs = [s for s in catalogue().values() if s.usable_in_conditions and s.kind not in ("string",)]
    root.mkdir(parents=True)
    (root / "registry.yaml").write_text("version: 9.9.9\nretired: []\n")
    n_rec = n_rules // 5
    n_find = n_rules - n_rec
    counters: dict[str, int] = {}
    findings: list[str] = []
    for i in range(n_find):
        area = AREAS[i % len(AREAS)]
        counters[area.prefix] = counters.get(area.prefix, 0) + 1
        rid = f"{area.prefix}{counters[area.prefix]:03d}"
        a, b = rng.sample(specs, 2)
        tests = [c for c in (_synthetic_condition(a, rng, 0.45), _synthetic_condition(b, rng, 0.45)) if c]
        when = {"all": tests} if len(tests) > 1 else tests[0]
        if i >= 2 * n_find // 3 and findings and rng.random() < 0.5:  # some findings chain on earlier ones
            when = {"all": [{"finding": rng.choice(findings)}, tests[0]]}
        rule = {
            "id": rid, "slug": f"synthetic-{rid.lower()}", "kind": rng.choice(("gap", "risk", "strength")),
            "area": area.key, "severity": rng.choice(("low", "medium", "high", "critical")),
            "title": f"Synthetic rule {rid}", "when": when, "doc": DOC, "sources": [CITATION],
        }
        findings.append(rid)
        _write_rule(root / area.key / f"{rid.lower()}.yaml", rule)
    for j in range(n_rec):
        prefix, audience = (("NGO", "ngo"), ("DON", "donor"))[j % 2]
        rid = f"{prefix}{j // 2 + 1:03d}"
        refs = [{"finding": f} for f in rng.sample(findings, rng.choice((1, 1, 2)))]
        rule = {
            "id": rid, "slug": f"synthetic-{rid.lower()}", "kind": "recommendation", "audience": audience,
            "area": AREAS[j % len(AREAS)].key, "severity": "medium", "title": f"Synthetic advice {rid}",
            "when": refs[0] if len(refs) == 1 else {"any": refs}, "doc": DOC, "sources": [CITATION],
            "advice": {"who": "Director", "first_step": "Read the synthetic advice.", "timeframe": "Never"},
        }
        _write_rule(root / "recommendations" / audience / f"{rid.lower()}.yaml", rule)


def _write_rule(path: Path, rule: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rule, indent=1))  # JSON is YAML


def _per_profile(evaluator: Any, facts: list[dict[str, Any]], passes: int) -> tuple[float, float]:
    """Median seconds per profile over ``passes`` passes, and the mean number of firings."""
    fired = sum(len(evaluator.evaluate(f)) for f in facts) / len(facts)  # also warms up
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        for f in facts:
            evaluator.evaluate(f)
        times.append((time.perf_counter() - start) / len(facts))
    return statistics.median(times), fired


def bench_growth(tmp: Path, n_profiles: int, passes: int) -> list[Row]:
    from advisor.engine import get_evaluator
    from advisor.facts import profile_facts
    from advisor.profile import Profile
    from advisor.rules.loader import load_rulebase

    os.environ["ADVISOR_NO_CACHE"] = "1"  # temporary rule bases: keep them out of the user's cache
    gen = ProfileGenerator(SEED + 2)
    facts = [profile_facts(Profile.model_validate(gen(n))) for n in range(n_profiles)]
    evaluators: dict[tuple[int, str], Any] = {}
    fired: dict[int, float] = {}
    for size in (100, 1000):
        build_rulebase(tmp / f"rules{size}", size, seed=SEED + size)
        rb = load_rulebase(tmp / f"rules{size}")
        for engine in ("durable", "reference"):
            evaluators[size, engine] = get_evaluator(rb, engine)  # type: ignore[arg-type]
    times: dict[tuple[int, str], list[float]] = {key: [] for key in evaluators}
    for _ in range(3):  # alternate, so load changes on the machine hit both sizes alike
        for key in evaluators:
            t, fired[key[0]] = _per_profile(evaluators[key], facts, passes)
            times[key].append(t)
    median = {key: statistics.median(values) for key, values in times.items()}
    t100, t1000 = median[100, "durable"], median[1000, "durable"]
    ratio = t1000 / t100
    ref_ratio = median[1000, "reference"] / median[100, "reference"]
    return [
        ("100 rules, durable, per profile", f"{t100 * 1e3:.2f} ms ({fired[100]:.0f} rules fire)", "", ""),
        ("1,000 rules, durable, per profile", f"{t1000 * 1e3:.2f} ms ({fired[1000]:.0f} rules fire)", "", ""),
        ("  10x the rules costs", f"{ratio:.1f}x the time", "<= 5x", yes(ratio <= 5)),
        ("  same, reference evaluator", f"{ref_ratio:.1f}x the time "
         f"({median[100, 'reference'] * 1e3:.2f} -> {median[1000, 'reference'] * 1e3:.2f} ms)", "", ""),
        ("  per rule in the base (100 / 1,000 rules)",
         f"{t100 / 100 * 1e6:.2f} / {t1000 / 1000 * 1e6:.2f} us", "not growing", yes(t1000 / 1000 <= t100 / 100)),
        ("  per fired rule (100 / 1,000 rules)",
         f"{t100 / max(fired[100], 1) * 1e6:.0f} / {t1000 / max(fired[1000], 1) * 1e6:.0f} us", "", ""),
    ]


# --- (4) memory --------------------------------------------------------------------------------

def _rss_kb(pid: int, field: str = "VmRSS") -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def bench_memory(tmp: Path, count: int) -> list[Row]:
    name = f"screen {count:,} profiles --jobs 1"
    if not screen_available():
        return [(name, "not available (no 'advisor screen')", "< 200 MB", "n/a")]
    stream = tmp / "big.jsonl"
    write_jsonl(stream, count, seed=SEED + 3)
    early = count // 10
    cmd = [*advisor_cmd(), "screen", str(stream), "--format", "csv", "--jobs", "1", "--sort", "input"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    marks: dict[int, int | None] = {}
    rows = -1  # the CSV header
    samples: list[int] = []
    peaks: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            if (kb := _rss_kb(proc.pid)) is not None:
                samples.append(kb)
            if (kb := _rss_kb(proc.pid, "VmHWM")) is not None:
                peaks.append(kb)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    for _line in proc.stdout:
        rows += 1
        if rows in (early, count):
            marks[rows] = _rss_kb(proc.pid)
            if rows == count and (kb := _rss_kb(proc.pid, "VmHWM")) is not None:
                peaks.append(kb)
    stop.set()
    proc.wait()
    sampler.join()
    if rows != count:
        return [(name, f"failed: {rows} rows, exit {proc.returncode}", "< 200 MB", "NO")]
    # VmHWM: the kernel's high-water mark of this process's own memory since exec (ru_maxrss
    # from wait4 would also count the parent's memory, inherited through fork before exec).
    peak_mb = max(peaks, default=0) / 1024
    a, b = marks.get(early), marks.get(count)
    growth = (b - a) / a if a and b else None
    return [
        (f"{name}: peak RSS", f"{peak_mb:.0f} MB (sampled max {max(samples, default=0) / 1024:.0f} MB)",
         "< 200 MB", yes(peak_mb < 200)),
        (f"  RSS after {count:,} vs after {early:,}",
         "n/a" if growth is None else f"{b / 1024:.0f} vs {a / 1024:.0f} MB ({growth:+.1%})",
         "within 10 %", yes(None if growth is None else abs(growth) <= 0.10)),
    ]


# --- main --------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller batches")
    parser.add_argument("--only", default="1234", help="which measurements to run, e.g. 13")
    args = parser.parse_args()
    quick = args.quick
    rows: list[Row] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="advisor-bench-") as name:
        tmp = Path(name)
        if "1" in args.only:
            say("(1) one assessment from the command line")
            rows += bench_cli(runs=10 if quick else 20)
        if "2" in args.only:
            say("(2) national registry")
            rows += bench_registry(tmp, REGISTRY_SIZE, runs=1 if quick else 3)
        if "3" in args.only:
            say("(3) growth with the rule base")
            rows += bench_growth(tmp, n_profiles=300 if quick else 1000, passes=2 if quick else 3)
        if "4" in args.only:
            say("(4) memory")
            rows += bench_memory(tmp, 20_000 if quick else 100_000)
    widths = [max(len(r[i]) for r in [("metric", "measured", "goal", "met"), *rows]) for i in range(4)]
    print(f"advisor bench {'--quick ' if quick else ''}{_dt.date.today().isoformat()}: "
          f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}, {time.perf_counter() - started:.0f} s")
    for r in [("metric", "measured", "goal", "met"), tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
    return 0 if all(r[3] in ("", "yes") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
