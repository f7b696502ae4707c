"""Reassessment: resolved, new and persisting findings; maturity; rating; rule-base changes."""

from __future__ import annotations

import advisor.engine  # noqa: F401  (import order: engine before assessment)
from advisor.assessment import AreaResult, Assessment, RuleBaseInfo
from advisor.views.compare import compare
from advisor.views.screening import screen
from tests.views.test_screening import assessment, donor_rec, finding, profile


def with_area(a: Assessment, maturity: int | None, rulebase: str = "0" * 64) -> Assessment:
    area = AreaResult(area="financial_management", title="Financial management", maturity=maturity,
                      self_rating=None, capped_by=(), strengths=(), gaps=())
    return a.model_copy(update={"areas": (area,), "rulebase": RuleBaseInfo(version="0", hash=rulebase, rule_count=0)})


def run(old: Assessment, new: Assessment, current: frozenset[str] | None = None):  # type: ignore[no-untyped-def]
    return compare(old, new, screen(old, profile()), screen(new, profile()), old_label="old.yaml",
                   new_label="new.yaml", current_ids=current)


def test_resolved_new_and_persisting() -> None:
    old = with_area(assessment(finding("FMG001", "financial_management", "critical"),
                               finding("FMG002", "financial_management", "medium"),
                               recs=(donor_rec("DON001", ("FMG001",)),)), 1)
    new = with_area(assessment(finding("FMG002", "financial_management", "medium"),
                               finding("FMG003", "financial_management", "low")), 3)
    c = run(old, new)
    status = {ch.id: ch.status for ch in c.findings}
    assert status == {"FMG001": "resolved", "FMG002": "persists", "FMG003": "new"}
    assert [ch.id for ch in c.findings] == ["FMG001", "FMG003", "FMG002"]  # resolved, new, persists
    assert {ch.id: ch.status for ch in c.recommendations} == {"DON001": "resolved"}
    assert (c.rating.before, c.rating.after, c.rating.change) == ("High", "Moderate", "better")
    assert c.rating.reasons_before == ("FMG001",)
    assert [(a.before, a.after, a.change) for a in c.areas] == [(1, 3, "better")]
    assert c.rulebase_note is None
    assert c.counts == {"resolved": 1, "new": 1, "persists": 1, "rule_gone": 0}


def test_severity_change_is_shown_on_persisting_findings() -> None:
    c = run(assessment(finding("FMG001", "financial_management", "high")),
            assessment(finding("FMG001", "financial_management", "low")))
    (ch,) = c.findings
    assert (ch.status, ch.before, ch.after) == ("persists", "high", "low")


def test_other_rule_base_is_named_and_gone_rules_are_not_resolved() -> None:
    old = with_area(assessment(finding("FMG009", "financial_management", "high")), 2, rulebase="a" * 64)
    new = with_area(assessment(), 2)
    c = run(old, new, current=frozenset({"FMG001"}))
    assert c.rulebase_note and "aaaaaaaaaaaa" in c.rulebase_note
    assert [(ch.id, ch.status) for ch in c.findings] == [("FMG009", "rule_gone")]
