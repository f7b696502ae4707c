"""Markdown for sharing: pipes and markup in user text escaped; snapshots of the example."""

from __future__ import annotations

from pathlib import Path

from advisor.assessment import Assessment, ProfileInfo
from advisor.engine import assess
from advisor.profile_io import load_profile
from advisor.reporters.markdown import (
    assessment_markdown,
    capacity_plan_markdown,
    ngo_report_markdown,
    user_text,
)
from advisor.rules.loader import load_rulebase
from advisor.views.capacity_plan import capacity_plan
from advisor.views.ngo_report import ngo_report
from tests.conftest import PINNED_RULES, check_snapshot

ROOT = Path(__file__).resolve().parents[2]



def example() -> Assessment:
    return assess(load_profile(ROOT / "profiles" / "example.yaml"), load_rulebase(PINNED_RULES), "reference")


def renamed(a: Assessment, name: str) -> Assessment:
    return a.model_copy(update={"profile": ProfileInfo(name=name, hash=a.profile.hash, schema_version="1.0")})


def test_user_text_escaped() -> None:
    assert user_text("A | B") == "A \\| B"
    assert user_text("<b>x</b>\n*y*") == "\\<b\\>x\\</b\\> \\*y\\*"
    a = renamed(example(), "Rights | Law <script>")
    for text in (ngo_report_markdown(ngo_report(a)), assessment_markdown(a)):
        first = text.splitlines()[0]
        assert "Rights \\| Law \\<script\\>" in first
        assert "<script>" not in text


def test_table_rows_keep_their_columns() -> None:
    text = renamed_text = ngo_report_markdown(ngo_report(renamed(example(), "A|B|C")))
    assert "A\\|B\\|C" in renamed_text
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| Area |"))
    cols = lines[header].count("|")
    for row in lines[header: header + 14]:
        assert row.count("|") - row.count("\\|") == cols


def test_ngo_report_sections() -> None:
    text = ngo_report_markdown(ngo_report(example()))
    for heading in ("## Strengths to build on", "## Capacity areas", "## Gaps and risks by area",
                    "## CIVICUS diamond", "## What to do first", "## Not answered"):
        assert heading in text
    assert "### First (1):" in text


def test_example_snapshots() -> None:
    a = example()
    rb = load_rulebase(PINNED_RULES)
    check_snapshot("ngo_report.example.md", ngo_report_markdown(ngo_report(a, rb)))
    check_snapshot("capacity_plan.example.md", capacity_plan_markdown(capacity_plan(a, rb, weeks=2, hours_per_week=5)))
    check_snapshot("assessment.example.md", assessment_markdown(a))
