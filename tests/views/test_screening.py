"""The donor's screening: rating rules, context risk kept apart, HACT conditions, snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest

import advisor.engine  # noqa: F401  (import order: engine before assessment)
from advisor.assessment import (
    Advice,
    Assessment,
    Evidence,
    Finding,
    ProfileInfo,
    Recommendation,
    RuleBaseInfo,
)
from advisor.engine import assess
from advisor.profile import Profile
from advisor.profile_io import load_profile, profile_from_data
from advisor.reporters.json_format import to_json
from advisor.reporters import render
from advisor.reporters.context import ENGLISH
from advisor.rules.loader import load_rulebase
from advisor.views.screening import (
    GRANT_TO_BUDGET_LIMIT,
    GrantTerms,
    monitoring_visits,
    screen,
)
from tests.conftest import PINNED_RULES, check_snapshot

ROOT = Path(__file__).resolve().parents[2]

FULL_FINANCE = {
    "schema_version": "1.0",
    "organisation": {"name": "Test"},
    "funding": {"annual_budget": 100_000.0, "currency": "USD", "reserves_months": 4.0, "largest_source_pct": 30.0},
    "controls": {"written_procedures": True, "external_audit_recent": True,
                 "publishes_financial_report": True, "segregation_of_duties": True},
}


DIMENSION_OF_AREA = {"financial_management": "fiduciary", "governance": "fiduciary", "context": "context",
                     "financial_sustainability": "sustainability"}


def finding(fid: str, area: str, severity: str, kind: str = "gap", dimension: str | None = None,
            because: tuple[str, ...] = ()) -> Finding:
    return Finding(id=fid, kind=kind, area=area, severity=severity, title=f"title {fid}",  # type: ignore[arg-type]
                   evidence=(Evidence(field="x.y", value=1),), because=because, sources=(),
                   dimension=dimension or DIMENSION_OF_AREA.get(area, "programmatic"))


def donor_rec(rid: str, because: tuple[str, ...]) -> Recommendation:
    return Recommendation(id=rid, audience="donor", area="financial_sustainability", priority=1, urgency="high",
                          title=f"rec {rid}", because=because, evidence=(),
                          advice=Advice(who="Donor", first_step="s", timeframe="t", action="do it"),
                          modules=(), sources=())


def assessment(*findings: Finding, recs: tuple[Recommendation, ...] = ()) -> Assessment:
    return Assessment(
        schema_version="1.0", engine="reference",
        rulebase=RuleBaseInfo(version="0", hash="0" * 64, rule_count=0),
        profile=ProfileInfo(name="Test", hash="1" * 64, schema_version="1.0"),
        findings=tuple(findings), recommendations=recs, areas=(), unanswered_areas=(), unanswered=(), trace=(),
    )


def profile(**funding: object) -> Profile:
    data = {**FULL_FINANCE, "funding": {**FULL_FINANCE["funding"], **funding}}  # type: ignore[dict-item]
    return profile_from_data(data)


def ids(s: object) -> set[str]:
    return {c.id for c in s.conditions}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("findings", "rating"),
    [
        ((), "Low"),
        ((finding("FMG001", "financial_management", "low"),), "Low"),
        ((finding("FMG001", "financial_management", "medium"),), "Moderate"),
        ((finding("FMG001", "financial_management", "high"),), "Significant"),
        ((finding("FMG001", "financial_management", "critical"),), "High"),
        # programmatic, sustainability and context findings never set the fiduciary rating
        ((finding("ADV001", "advocacy", "critical"),), "Low"),
        ((finding("FIN001", "financial_sustainability", "critical"),), "Low"),
        ((finding("CTX006", "context", "critical", kind="risk"),), "Low"),
        # the dimension decides, not the area: a late statutory report is fiduciary
        ((finding("CTX052", "context", "critical", kind="risk", dimension="fiduciary"),), "High"),
        # a combined finding does not count again on top of the findings it combines
        ((finding("FMG001", "financial_management", "high"), finding("FMG002", "financial_management", "high"),
          finding("FMG009", "financial_management", "high", kind="risk", because=("FMG001", "FMG002"))), "Significant"),
        # strengths and opportunities never count
        ((finding("FMG001", "financial_management", "critical", kind="strength"),), "Low"),
        # a critical gap is not averaged away by strengths
        ((finding("GOV001", "governance", "critical"), finding("FMG002", "financial_management", "info", "strength")), "High"),
        # three findings at the worst level raise the rating one step
        (tuple(finding(f"FMG00{i}", "financial_management", "high") for i in range(3)), "High"),
        (tuple(finding(f"FMG00{i}", "financial_management", "high") for i in range(2)), "Significant"),
    ],
)
def test_rating_rules(findings: tuple[Finding, ...], rating: str) -> None:
    s = screen(assessment(*findings), profile())
    assert s.risk.rating == rating
    assert s.risk.fiduciary.rating == rating


def test_reasons_name_the_findings_that_set_the_rating() -> None:
    s = screen(assessment(finding("FMG001", "financial_management", "high"), finding("ADV001", "advocacy", "medium")),
               profile())
    assert [r.id for r in s.risk.reasons] == ["FMG001"]
    assert s.risk.reasons[0].evidence and s.risk.reasons[0].title == "title FMG001"
    assert [r.id for r in s.risk.fiduciary.reasons] == ["FMG001"]
    assert [r.id for r in s.risk.programmatic.reasons] == ["ADV001"]


@pytest.mark.parametrize("severity", ["medium", "high", "critical"])
def test_context_risk_never_raises_the_rating(severity: str) -> None:
    s = screen(assessment(finding("CTX001", "context", severity, kind="risk")), profile())
    assert s.risk.rating == "Low"
    assert s.risk.context.rating != "Low"
    assert "CND010" in ids(s) and "CND011" in ids(s)
    assert all("CTX001" not in c.because for c in s.conditions if c.kind == "assurance")


def test_context_risk_adds_protection_on_top_of_fiduciary_rating() -> None:
    s = screen(assessment(finding("FMG001", "financial_management", "medium"),
                          finding("CTX002", "context", "critical", kind="risk")), profile())
    assert (s.risk.rating, s.risk.fiduciary.rating, s.risk.context.rating) == ("Moderate", "Moderate", "High")
    assert {"CND010", "CND011", "CND012"} <= ids(s)
    assert "not a higher rating" in s.risk.explanation


def test_unanswered_financial_questions_lower_confidence_and_floor_the_rating() -> None:
    s = screen(assessment(), profile_from_data({"schema_version": "1.0"}))
    assert s.risk.confidence.level == "low"
    assert s.risk.rating == "Moderate"
    assert [r.id for r in s.risk.reasons] == ["SCR003"]
    assert any("Confidence is low" in n for n in s.notes)
    assert screen(assessment(), profile()).risk.confidence.level == "high"


@pytest.mark.parametrize(
    ("amount", "rating", "visits"),
    [
        (2_500, "High", 0),
        (2_501, "High", 1),
        (100_000, "Low", 1),
        (100_000, "High", 1),
        (250_000, "Low", 1),
        (250_000, "Moderate", 2),
        (250_000, "Significant", 3),
        (250_000, "High", 3),
        (500_001, "Low", 2),
        (500_001, "Moderate", 3),
        (500_001, "High", 4),
    ],
)
def test_hact_visit_bands(amount: float, rating: str, visits: int) -> None:
    assert monitoring_visits(amount, rating) == visits


FINDINGS_FOR = {
    "Low": (),
    "Moderate": (finding("FMG001", "financial_management", "medium"),),
    "Significant": (finding("FMG001", "financial_management", "high"),),
    "High": (finding("FMG001", "financial_management", "critical"),),
}


@pytest.mark.parametrize("rating", list(FINDINGS_FOR))
@pytest.mark.parametrize("amount", [2_000, 40_000, 90_000, 300_000, 800_000])
def test_grant_conditions_in_each_band(rating: str, amount: float) -> None:
    big = profile(annual_budget=10_000_000.0)
    s = screen(assessment(*FINDINGS_FOR[rating]), big, GrantTerms(amount=amount, currency="USD", months=12))
    assert s.risk.rating == rating
    visits = next(c for c in s.conditions if c.id == "CND002")
    expected = monitoring_visits(amount, rating)
    assert (str(expected) in visits.title) if expected else visits.title.startswith("No programmatic visit")
    assert ("CND003" in ids(s)) == (amount > 50_000)
    assert ("CND004" in ids(s)) == (rating != "Low")
    assert ("CND005" in ids(s)) == (rating == "High")
    instalments = next(c for c in s.conditions if c.id == "CND001")
    assert f"risk rating {rating}" in instalments.because


def test_grant_large_for_budget_is_a_finding() -> None:
    small = profile(annual_budget=50_000.0)
    s = screen(assessment(), small, GrantTerms(amount=50_000 * GRANT_TO_BUDGET_LIMIT, currency="USD", months=12))
    assert [f.id for f in s.findings] == ["SCR001"]
    assert s.risk.rating == "Significant" and "SCR001" in [r.id for r in s.risk.reasons]
    assert "CND005" in ids(s)
    # the same total over three years is a third of the budget per year
    s = screen(assessment(), small, GrantTerms(amount=50_000, currency="USD", months=36))
    assert not s.findings and s.risk.rating == "Low"


def test_other_currency_is_not_compared_and_bands_not_guessed() -> None:
    kzt = profile(currency="KZT", annual_budget=1_000.0)
    s = screen(assessment(), kzt, GrantTerms(amount=900_000, currency="USD", months=12))
    assert [f.id for f in s.findings] == ["SCR002"]
    assert s.risk.rating == "Low"
    assert any("no exchange rate" in n for n in s.notes)
    s = screen(assessment(), kzt, GrantTerms(amount=9_000_000, currency="KZT", months=12))
    assert [f.id for f in s.findings] == ["SCR001"]
    visits = next(c for c in s.conditions if c.id == "CND002")
    assert "band not determined" in visits.title and "CND003" not in ids(s)


def test_donor_recommendations_become_support_measures() -> None:
    s = screen(assessment(finding("FIN001", "financial_sustainability", "high"),
                          recs=(donor_rec("DON001", ("FIN001",)),)), profile(),
               GrantTerms(amount=10_000, currency="USD", months=9))
    don = next(c for c in s.conditions if c.id == "DON001")
    assert don.kind == "support" and don.because == ("FIN001",)
    assert "CND020" in ids(s)  # multi-year suggested for a 9-month grant


def test_screening_is_deterministic() -> None:
    a = assessment(finding("FMG002", "financial_management", "high"), finding("FMG001", "financial_management", "high"))
    assert to_json(screen(a, profile())) == to_json(screen(a, profile()))
    assert [r.id for r in screen(a, profile()).risk.reasons] == ["FMG001", "FMG002"]



def test_snapshot_example_screening() -> None:
    rb = load_rulebase(PINNED_RULES)
    prof = load_profile(ROOT / "profiles" / "example.yaml")
    s = screen(assess(prof, rb, "reference"), prof, GrantTerms(amount=120_000, currency="USD", months=12))
    check_snapshot("screening.example.json", to_json(s))
    check_snapshot("screening.example.md", render(s, "markdown", ENGLISH))
