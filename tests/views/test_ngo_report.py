"""The NGO's self-assessment report view: hand-built assessments, and a JSON snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.areas import AREAS
from advisor.assessment import (
    Advice,
    AreaResult,
    Assessment,
    Evidence,
    Finding,
    ProfileInfo,
    Recommendation,
    RuleBaseInfo,
    Source,
    Unanswered,
)
from advisor.engine import assess
from advisor.profile_io import load_profile
from advisor.reporters.json_format import to_json
from advisor.rules.loader import load_rulebase
from advisor.views.diamond import diamond
from advisor.views.ngo_report import NgoReport, ngo_report
from tests.conftest import PINNED_RULES, check_snapshot

ROOT = Path(__file__).resolve().parents[2]
SRC = Source(source="ref-kz-2023", section="Risks", quote="a quote of some length", statement="KZ23-CR-1")



def finding(fid: str, kind: str, area: str, severity: str = "high", because: tuple[str, ...] = (),
            evidence: tuple[Evidence, ...] = ()) -> Finding:
    return Finding(id=fid, kind=kind, area=area, severity=severity, title=f"title of {fid}",  # type: ignore[arg-type]
                   evidence=evidence, because=because, sources=(SRC,))


def rec(rid: str, priority: int, because: tuple[str, ...], audience: str = "ngo") -> Recommendation:
    return Recommendation(
        id=rid, audience=audience, area="financial_sustainability", priority=priority, urgency="high",  # type: ignore[arg-type]
        title=f"do {rid}", because=because, evidence=(),
        advice=Advice(who="Director", first_step="Start now", timeframe="3 months", action="Do the thing."),
        modules=("MOD01",), sources=(SRC,),
    )


def make_assessment(findings: list[Finding], recs: list[Recommendation], maturities: dict[str, int] | None = None,
                    unanswered: tuple[Unanswered, ...] = ()) -> Assessment:
    maturities = maturities or {}
    areas = tuple(
        AreaResult(area=a.key, title=a.title, maturity=maturities.get(a.key), self_rating=None, capped_by=(),
                   strengths=(), gaps=())
        for a in AREAS
    )
    return Assessment(
        schema_version="1.0", engine="reference",
        rulebase=RuleBaseInfo(version="0.0.1", hash="a" * 64, rule_count=9),
        profile=ProfileInfo(name="Test NGO", hash="b" * 64, schema_version="1.0"),
        findings=tuple(sorted(findings, key=lambda f: f.id)), recommendations=tuple(recs), areas=areas,
        unanswered_areas=(), unanswered=unanswered, trace=(),
    )


def test_strengths_gaps_and_areas() -> None:
    a = make_assessment(
        [finding("FIN001", "gap", "financial_sustainability", "medium"),
         finding("FIN002", "gap", "financial_sustainability", "critical"),
         finding("NET001", "strength", "networks", "info"),
         finding("LOC001", "opportunity", "local_ownership", "info")],
        [], maturities={"financial_sustainability": 1},
    )
    r = ngo_report(a)
    assert [s.id for s in r.strengths] == ["LOC001", "NET001"]  # area order, then ID
    fin = next(x for x in r.areas if x.area == "financial_sustainability")
    assert [g.id for g in fin.gaps] == ["FIN002", "FIN001"]  # most severe first
    assert fin.maturity == 1
    assert len(r.areas) == 12
    assert r.finding_ids == ("FIN001", "FIN002", "LOC001", "NET001")


def test_actions_carry_the_chain_of_reasons() -> None:
    ev = (Evidence(field="funding.share_foreign_pct", value=80.0),)
    a = make_assessment(
        [finding("CTX001", "risk", "context", evidence=(Evidence(field="foreign_funding.on_public_register", value=True),)),
         finding("CTX002", "risk", "context", "critical", because=("CTX001",), evidence=ev),
         finding("FIN002", "gap", "financial_sustainability")],
        [rec("NGO002", 2, ("FIN002",)), rec("NGO001", 1, ("CTX002",)), rec("DON001", 1, ("FIN002",), "donor")],
    )
    r = ngo_report(a)
    assert [x.id for x in r.actions] == ["NGO001", "NGO002"]  # the NGO's only, by priority
    why = r.actions[0].why
    assert [(x.finding.id, x.via) for x in why] == [("CTX002", None), ("CTX001", "CTX002")]
    assert why[0].finding.evidence[0].value == 80.0
    assert why[0].finding.evidence[0].question  # the question text, not only the field path
    assert why[0].finding.sources[0].statement == "KZ23-CR-1"


def test_unanswered_withholds_ngo_advice_only() -> None:
    a = make_assessment(
        [], [], unanswered=(Unanswered(field="funding.reserves_months", question="How many months?",
                                       rules=("DON003", "FIN002", "NGO001", "TRN004")),),
    )
    r = ngo_report(a)
    assert [w.id for w in r.unanswered[0].withholds] == ["FIN002", "NGO001"]


def test_unanswered_follows_the_rule_chain_with_a_rulebase() -> None:
    rulebase = load_rulebase(PINNED_RULES)
    a = make_assessment([], [], unanswered=(
        Unanswered(field="funding.reserves_months", question="How many months?", rules=("FIN002",)),))
    withheld = ngo_report(a, rulebase).unanswered[0].withholds
    assert [(w.id, w.kind) for w in withheld] == [("FIN002", "gap"), ("NGO001", "recommendation")]
    assert withheld[1].title


def test_diamond_scores_are_capped_by_the_weakest_area() -> None:
    a = make_assessment([], [], maturities={"governance": 1, "financial_management": 4, "human_resources": 4,
                                            "networks": 4, "local_ownership": 3})
    dims = {d.key: d for d in diamond(a.areas)}
    org = dims["level_of_organisation"]
    assert org.score == 2.0 and org.capped and org.weakest_area == "governance"  # mean 3.25, capped at 1 + 1
    assert dims["civic_engagement"].score == 3.0 and not dims["civic_engagement"].capped
    assert dims["practice_of_values"].score is None
    assert list(dims) == ["civic_engagement", "level_of_organisation", "practice_of_values",
                          "perception_of_impact", "external_environment"]


def test_report_is_frozen_and_documented() -> None:
    r = ngo_report(make_assessment([], []))
    with pytest.raises(Exception):
        r.organisation = "x"
    for name, info in NgoReport.model_fields.items():
        assert info.description, f"NgoReport.{name} needs a description (it documents the JSON)"


def example_assessment() -> Assessment:
    rulebase = load_rulebase(PINNED_RULES)
    return assess(load_profile(ROOT / "profiles" / "example.yaml"), rulebase, "reference")


def test_example_json_snapshot() -> None:
    rulebase = load_rulebase(PINNED_RULES)
    report = ngo_report(example_assessment(), rulebase)
    text = to_json(report)
    json.loads(text)
    check_snapshot("ngo_report.example.json", text)
    assert to_json(ngo_report(example_assessment(), rulebase)) == text  # deterministic
