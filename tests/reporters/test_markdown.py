"""Markdown for sharing: user text made inert (no link, image, heading or table break), and
snapshots of the example."""

from __future__ import annotations

from pathlib import Path

from advisor.assessment import Assessment, ProfileInfo
from advisor.engine import assess
from advisor.profile_io import load_profile
from advisor.reporters import render
from advisor.reporters.context import ENGLISH
from advisor.reporters.templating import md_inert
from advisor.rules.loader import load_rulebase
from advisor.views.capacity_plan import capacity_plan
from advisor.views.ngo_report import ngo_report
from tests.conftest import PINNED_RULES, check_snapshot

ROOT = Path(__file__).resolve().parents[2]


def example() -> Assessment:
    return assess(load_profile(ROOT / "profiles" / "example.yaml"), load_rulebase(PINNED_RULES), "reference")


def renamed(a: Assessment, name: str) -> Assessment:
    return a.model_copy(update={"profile": ProfileInfo(name=name, hash=a.profile.hash, schema_version="1.0")})


def md(view: object) -> str:
    text = render(view, "markdown", ENGLISH)
    assert text is not None
    return text


def test_user_text_made_inert() -> None:
    assert md_inert("A | B") == "A \\| B"
    assert md_inert("<b>x</b>\n*y*") == "\\<b\\>x\\</b\\> \\*y\\*"
    assert md_inert("![i](http://x.example/a.png)") == "\\!\\[i\\](http://x.example/a.png)"
    assert md_inert("\x1b]0;owned\x07") == "␛\\]0;owned␇"
    a = renamed(example(), "Rights | Law <script>")
    for text in (md(ngo_report(a)), md(a)):
        first = text.splitlines()[0]
        assert "Rights \\| Law \\<script\\>" in first
        assert "<script>" not in text


def test_table_rows_keep_their_columns() -> None:
    text = md(ngo_report(renamed(example(), "A|B|C")))
    assert "A\\|B\\|C" in text
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| Area |"))
    cols = lines[header].count("|")
    for row in lines[header: header + 14]:
        assert row.count("|") - row.count("\\|") == cols


def _answered(profile: object) -> str:
    from advisor.views.ngo_report import completeness

    done = completeness(profile)  # type: ignore[arg-type]
    return f"answered {done.answered} of {done.asked} questions"


def test_ngo_report_page_one_comes_first() -> None:
    profile = load_profile(ROOT / "profiles" / "example.yaml")
    text = md(ngo_report(example(), load_rulebase(PINNED_RULES), profile))
    heading = "## Three things to do first" if "## Three things" in text else "## What to do first"
    order = [text.index(h) for h in (_answered(profile), heading,
                                      "- **Who:**", "- **First step:**", "- **When:**",
                                      "- **How you will know it worked:**", "## Areas at a glance",
                                      "### CIVICUS diamond", "## Area by area", "## All recommendations, in order",
                                      "## Questions not answered", "## Technical appendix")]
    assert order == sorted(order)
    # evidence as question → answer; field paths only in the technical appendix
    body, appendix = text.split("## Technical appendix")
    assert "→ **Yes**" in body and "→ **9 months**" in body and "→ **80%**" in body
    assert "`foreign_funding." not in body and "foreign\\_funding" not in body
    assert "`foreign_funding.on_public_register`" in appendix


def test_maturity_only_where_rated_or_capped() -> None:
    from advisor.reporters.present import maturity

    assert maturity(None, None, (), ENGLISH) == "not assessed"
    assert maturity(3, None, ("ADV005",), ENGLISH) == "at most 3 (capped by ADV005)"
    assert maturity(2, 3, ("FIN001", "FIN002"), ENGLISH) == "2 — basic (capped by FIN001, FIN002)"
    assert maturity(4, 4, (), ENGLISH) == "4 — high capacity"


def test_blank_profile_never_reads_all_clear() -> None:
    profile = load_profile(ROOT / "profiles" / "mostly-unanswered.yaml")
    a = assess(profile, load_rulebase(PINNED_RULES), "reference")
    text = md(ngo_report(a, None, profile))
    assert "No gaps found in the answers given; 12 areas not assessed." in text
    assert "No gaps or risks were found" not in text
    assert _answered(profile) in text and "answered 0 of" not in text


def test_plan_says_why_in_words() -> None:
    a = example()
    text = md(capacity_plan(a, load_rulebase(PINNED_RULES), weeks=2, hours_per_week=5))
    assert "recommended by TRN" not in text
    assert "Found: Grants too short to plan beyond a year" in text


def test_example_snapshots() -> None:
    a = example()
    rb = load_rulebase(PINNED_RULES)
    profile = load_profile(ROOT / "profiles" / "example.yaml")
    check_snapshot("ngo_report.example.md", md(ngo_report(a, rb, profile)))
    check_snapshot("capacity_plan.example.md", md(capacity_plan(a, rb, weeks=2, hours_per_week=5)))
    check_snapshot("assessment.example.md", md(a))
