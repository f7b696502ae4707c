"""The peer benchmark: aggregates only, k-anonymity refusals, and no peer re-identified."""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from advisor.cli import cli
from advisor.profile_io import profile_from_data

ROOT = Path(__file__).resolve().parents[2]
RULES = str(ROOT / "tests" / "snapshots" / "rulebase")
EXAMPLE = ROOT / "profiles" / "example.yaml"


def generated(count: int, seed: int) -> list[dict[str, Any]]:
    """Valid profiles from the bench generator (fixed seed), each with a name."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from run import ProfileGenerator
    finally:
        sys.path.remove(str(ROOT / "bench"))
    gen = ProfileGenerator(seed=seed)
    out = []
    for i in range(count):
        data = gen(i)
        data.setdefault("organisation", {})["name"] = f"Peer {seed}-{i}"
        out.append(data)
    return out


def write_jsonl(path: Path, profiles: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(p) + "\n" for p in profiles))
    return path


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def bench(cohort: Path, fmt: str = "json", profile: Path = EXAMPLE) -> Any:
    return invoke("benchmark", str(profile), "--cohort", str(cohort), "--rules", RULES, "--format", fmt)


def test_cohort_of_200(tmp_path: Path) -> None:
    peers = generated(200, seed=16)
    result = bench(write_jsonl(tmp_path / "cohort.jsonl", peers))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["organisations"] == 200
    figures = {c["key"]: c for c in data["figures"]}
    reserves = [p["funding"]["reserves_months"] for p in peers if "reserves_months" in p.get("funding", {})]
    cell = figures["funding.reserves_months"]
    assert cell["median"] == round(statistics.median(reserves), 1)
    assert cell["value"] == 1.0  # the example's own reserves
    below = sum(v < 1.0 for v in reserves) + 0.5 * sum(v == 1.0 for v in reserves)
    assert cell["quarter"] == min(4, int(4 * below / len(reserves)) + 1)
    assert all(a["withheld"] is None for a in data["areas"])  # 200 peers: every cell has 5 answers
    shares = [f["share_pct"] for f in data["common_findings"]]
    assert shares and shares == sorted(shares, reverse=True) and len(shares) <= 10
    assert all(s >= 100 * 5 // 200 for s in shares)
    for md in (bench(tmp_path / "cohort.jsonl", "markdown"), bench(tmp_path / "cohort.jsonl", "table")):
        assert md.exit_code == 0 and "peers' median" in md.stdout


def test_the_organisation_is_not_its_own_peer(tmp_path: Path) -> None:
    peers = generated(10, seed=3)
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    for i, p in enumerate(peers):
        (cohort / f"{i}.json").write_text(json.dumps(p))
    (cohort / "us.yaml").write_text(EXAMPLE.read_text())
    result = bench(cohort)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["organisations"] == 10


def test_cohort_under_ten_is_refused(tmp_path: Path) -> None:
    result = bench(write_jsonl(tmp_path / "small.jsonl", generated(9, seed=4)))
    assert result.exit_code == 2 and not result.stdout
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "9 organisations besides this one" in line and "at least 10" in line and "Traceback" not in line
    stats = invoke("screen", str(tmp_path / "small.jsonl"), "--rules", RULES, "--cohort-stats")
    assert stats.exit_code == 2 and "at least 10" in stats.stderr


def test_cell_from_fewer_than_five_answers_is_withheld(tmp_path: Path) -> None:
    peers = generated(12, seed=5)
    for i, p in enumerate(peers):
        funding = p.setdefault("funding", {})
        funding.pop("reserves_months", None)
        if i < 4:
            funding["reserves_months"] = 2.0 + i
    data = json.loads(bench(write_jsonl(tmp_path / "c.jsonl", peers)).stdout)
    cell = next(c for c in data["figures"] if c["key"] == "funding.reserves_months")
    assert cell["withheld"] and "fewer than 5 answers" in cell["withheld"]
    assert cell["median"] is None and cell["q1"] is None and cell["quarter"] is None
    text = bench(tmp_path / "c.jsonl", "table").stdout
    assert "withheld: fewer than 5 answers" in text
    peers[4]["funding"]["reserves_months"] = 9.0  # five answers: now shown
    data = json.loads(bench(write_jsonl(tmp_path / "c5.jsonl", peers)).stdout)
    cell = next(c for c in data["figures"] if c["key"] == "funding.reserves_months")
    assert cell["withheld"] is None and cell["median"] == 4.0


def _outlier_cohort(tmp_path: Path, reserves: float, name: str) -> Path:
    """Eleven ordinary peers and one with a unique name, file and extreme answers."""
    rng = random.Random(11)
    cohort = tmp_path / f"cohort-{reserves:g}"
    cohort.mkdir()
    for i in range(11):
        data = {"schema_version": "1.0", "organisation": {"name": f"Ordinary {i}", "volunteers": rng.randint(1, 20)},
                "funding": {"reserves_months": float(rng.randint(1, 6)), "typical_grant_months": rng.randint(6, 24),
                            "donor_count": rng.randint(2, 8), "largest_source_pct": float(rng.randint(20, 60))},
                "controls": {"written_procedures": rng.random() < 0.5}}
        (cohort / f"ordinary-{i}.yaml").write_text(json.dumps(data))
    outlier = {"schema_version": "1.0", "organisation": {"name": name},
               "funding": {"reserves_months": reserves, "typical_grant_months": 233, "donor_count": 4321,
                           "largest_source_pct": 99.5},
               "foreign_funding": {"labelled_foreign_agent": True}}
    (cohort / "zz-outlier-secret-file.yaml").write_text(json.dumps(outlier))
    return cohort


def test_a_peer_cannot_be_reidentified(tmp_path: Path) -> None:
    """An attacker who knows one peer is unusual tries to find it, or its answers, in the output."""
    name = "Unmistakable Outlier Foundation"
    first = _outlier_cohort(tmp_path, 187.5, name)
    outputs = {}
    for fmt in ("json", "markdown", "table"):
        result = bench(first, fmt)
        assert result.exit_code == 0, result.output
        outputs[fmt] = result.stdout + result.stderr
        for secret in (name, "Outlier", "zz-outlier", "secret-file", "187.5", "4321", "233", "99.5"):
            assert secret not in outputs[fmt], (fmt, secret)
        # the outlier's only finding of its own (a label) is held by fewer than five: not listed
        assert "CTX050" not in outputs[fmt]
    # Differencing: change the outlier's answers to anything else; the output does not move.
    second = _outlier_cohort(tmp_path, 90.0, "Someone Else Entirely")
    assert bench(second, "json").stdout == outputs["json"].removesuffix(bench(first, "json").stderr)
    # No figure printed is any single peer's own answer that only that peer gave.
    numbers = {float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", outputs["json"])}
    assert not numbers & {187.5, 4321.0, 233.0, 99.5}
    stats = invoke("screen", str(first), "--rules", RULES, "--cohort-stats", "--format", "markdown")
    section = stats.stdout.split("## Cohort statistics", 1)[1]
    for secret in (name, "zz-outlier", "187.5", "4321", "233", "99.5"):
        assert secret not in section


def test_rare_findings_are_not_listed_and_common_ones_capped(tmp_path: Path) -> None:
    from advisor.views.benchmark import MIN_CELL, PeerRecord, cohort_stats

    def record(i: int, findings: tuple[str, ...]) -> PeerRecord:
        return PeerRecord(hash=str(i), maturity=(None,) * 12, figures=(None,) * 4, findings=findings)

    records = [record(i, ("AAA001",) * (i < MIN_CELL - 1) + ("BBB001",) * (i < MIN_CELL) + ("CCC001",))
               for i in range(12)]
    stats = cohort_stats(records, {})
    listed = {f.id: f for f in stats.common_findings}
    assert "AAA001" not in listed and "BBB001" in listed
    assert listed["CCC001"].at_least and listed["CCC001"].share_pct < 100  # "all of them" is never said
    assert all(c.withheld for c in stats.areas)


def test_peer_records_keep_no_name_or_answers_beyond_the_figures() -> None:
    from dataclasses import fields

    from advisor.views.benchmark import PeerRecord

    assert [f.name for f in fields(PeerRecord)] == ["hash", "maturity", "figures", "findings"]
    profile_from_data({"schema_version": "1.0"})  # an empty profile is a valid peer too


def test_screen_cohort_stats_formats(tmp_path: Path) -> None:
    cohort = write_jsonl(tmp_path / "portfolio.jsonl", generated(12, seed=8))
    result = invoke("screen", str(cohort), "--rules", RULES, "--cohort-stats", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["organisations"]) == 12 and data["cohort_stats"]["organisations"] == 12
    assert all(c["value"] is None and c["quarter"] is None for c in data["cohort_stats"]["figures"])
    streamed = invoke("screen", str(cohort), "--rules", RULES, "--cohort-stats", "--format", "json", "--sort", "input")
    assert json.loads(streamed.stdout)["cohort_stats"] == data["cohort_stats"]
    table = invoke("screen", str(cohort), "--rules", RULES, "--cohort-stats")
    assert table.exit_code == 0 and "Cohort statistics: 12 organisations" in table.stdout
    csv = invoke("screen", str(cohort), "--rules", RULES, "--cohort-stats", "--format", "csv")
    assert csv.exit_code == 2 and "--cohort-stats" in csv.stderr and not csv.stdout
    single = invoke("screen", str(EXAMPLE), "--rules", RULES, "--cohort-stats")
    assert single.exit_code == 2 and "portfolio" in single.stderr


def test_unreadable_cohort_entries_are_counted_not_named(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    for i, p in enumerate(generated(10, seed=21)):
        (cohort / f"{i}.json").write_text(json.dumps(p))
    (cohort / "broken-member-name.yaml").write_text("organisation: [unclosed\n")
    result = bench(cohort, "table")
    assert result.exit_code == 2  # like screen: some input failed, the rest was used
    assert "among 10 peers" in result.stdout
    assert "1 cohort entry could not be read" in result.stderr
    assert "broken-member-name" not in result.output
