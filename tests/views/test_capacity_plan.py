"""The trainer's capacity plan: choosing, sequencing and scheduling modules."""

from __future__ import annotations

from pathlib import Path

from advisor.assessment import (
    Advice,
    Assessment,
    Finding,
    ProfileInfo,
    Recommendation,
    RuleBaseInfo,
    Source,
)
from advisor.engine import assess
from advisor.profile_io import load_profile
from advisor.reporters.json_format import to_json
from advisor.rules.loader import RuleBase, load_rulebase
from advisor.rules.model import Module, Registry
from advisor.views.capacity_plan import CapacityPlan, capacity_plan
from tests.conftest import PINNED_RULES, check_snapshot

ROOT = Path(__file__).resolve().parents[2]
SRC = Source(source="ref-kz-2023", section="Risks", quote="a quote of some length", statement="KZ23-CR-1")



def module(mid: str, hours: float, prerequisites: list[str] | None = None, addresses: list[str] | None = None) -> Module:
    return Module(id=mid, title=f"Module {mid}", area="financial_sustainability", objective="Learn a useful thing.",
                  format="workshop", hours=hours, prerequisites=prerequisites or [], addresses=addresses or [])


def rulebase(*modules: Module) -> RuleBase:
    return RuleBase(root="test", version="0.0.1", rules=(), modules=tuple(sorted(modules, key=lambda m: m.id)),
                    registry=Registry(version="0.0.1"))


def gap(fid: str, severity: str = "high", kind: str = "gap") -> Finding:
    return Finding(id=fid, kind=kind, area="financial_sustainability", severity=severity, title=f"title {fid}",  # type: ignore[arg-type]
                   evidence=(), because=(), sources=(SRC,))


def trainer(rid: str, priority: int, modules: tuple[str, ...], because: tuple[str, ...] = ()) -> Recommendation:
    return Recommendation(
        id=rid, audience="trainer", area="financial_sustainability", priority=priority, urgency="high",
        title=f"train {rid}", because=because, evidence=(),
        advice=Advice(who="Trainer", first_step="Agree a date", timeframe="3 months", action="Run it."),
        modules=modules, sources=(SRC,),
    )


def assessment(findings: list[Finding], recs: list[Recommendation]) -> Assessment:
    return Assessment(
        schema_version="1.0", engine="reference", rulebase=RuleBaseInfo(version="0.0.1", hash="a" * 64, rule_count=1),
        profile=ProfileInfo(name="Test NGO", hash="b" * 64, schema_version="1.0"),
        findings=tuple(findings), recommendations=tuple(recs), areas=(), unanswered_areas=(), unanswered=(), trace=(),
    )


def test_recommended_first_then_addressing_modules_by_severity() -> None:
    rb = rulebase(module("MOD01", 4), module("MOD02", 4, addresses=["FIN001"]),
                  module("MOD03", 4, addresses=["FIN002"]), module("MOD04", 4, addresses=["NET001"]))
    a = assessment([gap("FIN001", "medium"), gap("FIN002", "critical"), gap("NET001", "info", "strength")],
                   [trainer("TRN001", 1, ("MOD01",))])
    plan = capacity_plan(a, rb, weeks=10, hours_per_week=8)
    assert [(m.id, m.reason) for m in plan.modules] == [
        ("MOD01", "recommended"), ("MOD03", "addresses_finding"), ("MOD02", "addresses_finding")]
    assert plan.modules[1].addresses == ("FIN002",)  # a strength is not a reason to train


def test_prerequisites_are_pulled_in_and_come_first() -> None:
    rb = rulebase(module("MOD01", 2), module("MOD02", 2, ["MOD01"]), module("MOD03", 2, ["MOD02"]))
    plan = capacity_plan(assessment([], [trainer("TRN001", 1, ("MOD03",))]), rb, weeks=4, hours_per_week=4)
    assert [(m.id, m.reason) for m in plan.modules] == [
        ("MOD01", "prerequisite"), ("MOD02", "prerequisite"), ("MOD03", "recommended")]
    assert plan.modules[0].prerequisite_for == ("MOD02",)
    seen: set[str] = set()
    for m in plan.modules:
        assert set(m.prerequisites) <= seen
        seen.add(m.id)


def test_long_module_spans_weeks_and_next_one_shares_the_week() -> None:
    rb = rulebase(module("MOD01", 10), module("MOD02", 3))
    plan = capacity_plan(assessment([], [trainer("TRN001", 1, ("MOD01", "MOD02"))]), rb, weeks=4, hours_per_week=4)
    first, second = plan.modules
    assert (first.week, first.end_week) == (1, 3)
    assert [(s.week, s.hours) for s in first.sessions] == [(1, 4.0), (2, 4.0), (3, 2.0)]
    assert [(s.week, s.hours) for s in second.sessions] == [(3, 2.0), (4, 1.0)]
    assert plan.scheduled_hours == 13.0 and plan.budget_hours == 16.0


def test_what_does_not_fit_is_listed_not_dropped() -> None:
    rb = rulebase(module("MOD01", 6), module("MOD02", 4, ["MOD01"]), module("MOD03", 2))
    a = assessment([], [trainer("TRN001", 1, ("MOD01", "MOD02", "MOD03"))])
    plan = capacity_plan(a, rb, weeks=1, hours_per_week=5)
    assert [m.id for m in plan.modules] == ["MOD03"]  # first fit: the short one still goes in
    assert [(u.id, u.order) for u in plan.unscheduled] == [("MOD01", 1), ("MOD02", 2)]
    assert "budget" in plan.unscheduled[0].why_unscheduled
    assert "prerequisite MOD01" in plan.unscheduled[1].why_unscheduled


def test_json_shape_and_documentation() -> None:
    rb = rulebase(module("MOD01", 2, addresses=["FIN001"]))
    data = capacity_plan(assessment([gap("FIN001")], []), rb).model_dump(mode="json")
    assert {"id", "week", "hours", "addresses"} <= set(data["modules"][0])
    assert data["unscheduled"] == []
    for name, info in CapacityPlan.model_fields.items():
        assert info.description, name


def test_example_json_snapshot() -> None:
    rb = load_rulebase(PINNED_RULES)
    a = assess(load_profile(ROOT / "profiles" / "example.yaml"), rb, "reference")
    text = to_json(capacity_plan(a, rb, weeks=2, hours_per_week=5))
    check_snapshot("capacity_plan.example.json", text)
    assert to_json(capacity_plan(a, rb, weeks=2, hours_per_week=5)) == text
