"""Whole-base properties of the rules: IDs, cases, citations, examples, exclusive pairs."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.engine import assess
from advisor.rules.loader import CASES_SUFFIX, META_DIRS
from advisor.rules.model import DomainCitation

from ..conftest import RULES
from .support import bundled_rulebase, engines, profile_of

# Rule numbers are handed out in blocks of 50 per prefix (one block per developer / part
# of the rule base); inside a block the numbers run without gaps except where retired.
BLOCK = 50
# ...060 and ...061 of every area are its self-rating findings (clear need, basic): a series of
# their own, so the second block may stop short of them.
SELF_RATING_SERIES = 60


def _rule_files() -> list[Path]:
    return sorted(
        p for p in RULES.rglob("*.yaml")
        if p.parent != RULES and not p.name.endswith(CASES_SUFFIX)
        and p.relative_to(RULES).parts[0] not in META_DIRS
    )


def test_ids_are_unique_across_files() -> None:
    seen: dict[str, list[str]] = defaultdict(list)
    for path in _rule_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        seen[data["id"]].append(str(path.relative_to(RULES)))
    duplicates = {rid: files for rid, files in seen.items() if len(files) > 1}
    assert not duplicates


def test_every_rule_has_both_kinds_of_case() -> None:
    rb = bundled_rulebase()
    missing = [c.id for c in rb.rules if c.id not in rb.cases]
    assert not missing, f"no cases file: {missing}"
    for compiled in rb.rules:
        cases = rb.cases[compiled.id]
        assert cases.fires and cases.does_not_fire, compiled.id


def test_every_rule_cites_a_source() -> None:
    for compiled in bundled_rulebase().rules:
        assert compiled.rule.sources, compiled.id
        for citation in compiled.rule.sources:
            if isinstance(citation, DomainCitation):  # domain knowledge: a known reference and the fact used
                assert citation.reference in bundled_rulebase().references_by_id and citation.fact.strip()
            else:
                assert citation.section.strip() and citation.quote.strip() and citation.statement


def test_id_gaps_only_where_retired() -> None:
    rb = bundled_rulebase()
    retired = {r.id for r in rb.registry.retired}
    numbers: dict[tuple[str, int], set[int]] = defaultdict(set)
    for rid in {c.id for c in rb.rules} | retired:
        n = int(rid[3:])
        numbers[(rid[:3], n // BLOCK if n < SELF_RATING_SERIES else SELF_RATING_SERIES)].add(n)
    gaps = []
    for (prefix, block), used in sorted(numbers.items()):
        start = 1 if block == 0 else min(used)
        for n in range(start, max(used) + 1):
            if n not in used:
                gaps.append(f"{prefix}{n:03d}")
    assert not gaps, f"IDs missing without being retired in rules/registry.yaml: {gaps}"


@pytest.mark.parametrize("engine", engines())
def test_each_doc_example_fires_its_rule(engine: str) -> None:
    rb = bundled_rulebase()
    silent = [
        c.id for c in rb.rules
        if c.id not in assess(profile_of(c.rule.doc.example, c.id), rb, engine).fired_ids()  # type: ignore[arg-type]
    ]
    assert not silent, f"doc.example does not fire: {silent}"


def _all_excerpts() -> list[tuple[str, dict[str, Any]]]:
    rb = bundled_rulebase()
    out = []
    for c in rb.rules:
        out.append((f"{c.id} doc.example", c.rule.doc.example))
        cases = rb.cases.get(c.id)
        for case in (cases.fires + cases.does_not_fire) if cases else []:
            out.append((f"{c.id} case '{case.name}'", case.profile))
    return out


@pytest.mark.parametrize("engine", engines())
def test_exclusive_pairs_never_fire_together(engine: str) -> None:
    rb = bundled_rulebase()
    pairs = {tuple(sorted((c.id, other))) for c in rb.rules for other in c.rule.exclusive_with}
    clashes = []
    for label, excerpt in _all_excerpts():
        fired = set(assess(profile_of(excerpt, label), rb, engine).fired_ids())  # type: ignore[arg-type]
        clashes += [f"{label}: {a} + {b}" for a, b in pairs if a in fired and b in fired]
    assert not clashes


def test_exclusive_with_is_declared_on_both_sides() -> None:
    rb = bundled_rulebase()
    one_sided = [
        f"{c.id} -> {other}" for c in rb.rules for other in c.rule.exclusive_with
        if c.id not in rb.by_id[other].rule.exclusive_with
    ]
    assert not one_sided


# A well-run organisation in good standing: it must earn strengths, not alarms.
STRONG: dict[str, Any] = {
    "organisation": {
        "legally_registered": True, "paid_staff": 12, "volunteers": 25, "key_staff_left_12m": 0,
        "areas_served": ["urban", "rural"], "thematic_focus": ["education", "youth"],
        "languages": ["kk", "ru"], "sensitive_topics": [],
    },
    "funding": {
        "share_state_pct": 20, "share_foreign_pct": 30, "share_local_private_pct": 30,
        "share_own_income_pct": 20, "donor_count": 6, "largest_source_pct": 20,
        "typical_grant_months": 36, "has_multi_year_grant": True, "reserves_months": 6,
        "has_sustainability_plan": True, "declined_inadequate_contracts": False,
    },
    "controls": {
        "written_procedures": True, "external_audit_recent": True,
        "publishes_financial_report": True, "segregation_of_duties": True,
    },
    "government": {
        "relationship": "independent", "officials_on_board": False,
        "public_council_member": True, "successful_cooperation": True,
    },
    "foreign_funding": {
        "reporting_obligation": True, "reports_filed_on_time": True, "on_public_register": False,
        "labelled_foreign_agent": False, "international_partners": True,
    },
    "pressure": {
        "tax_audits_3y": 1, "state_funding_cut": False, "topics_avoided": False,
        "criticism_constrained": False, "political_pressure": False, "beneficiary_mistrust": False,
    },
    "practices": {
        "has_strategic_plan": True,
        "beneficiary_involvement": ["needs_assessment", "design", "implementation", "monitoring", "evaluation"],
        "rural_share_pct": 40, "uses_local_experts": True, "projects_outside_expertise": False,
        "adapted_to_donor_agenda": False, "design_discretion": True, "has_me_framework": True,
        "shares_lessons": True, "has_advocacy_plan": True, "contributes_to_law_drafting": True,
        "network_memberships": 3, "joint_activities_12m": 5, "conflicting_messages": False,
        "has_security_protocol": True, "has_conflict_of_interest_policy": True,
        "has_complaints_mechanism": True, "educates_on_civic_participation": True,
    },
    "ratings": {area: {"level": 4} for area in (
        "governance", "strategy", "financial_management", "financial_sustainability",
        "human_resources", "project_design", "monitoring_evaluation", "advocacy",
        "accountability", "local_ownership", "networks", "context",
    )},
}


@pytest.mark.parametrize("engine", engines())
def test_strong_organisation_gets_no_alarms(engine: str) -> None:
    rb = bundled_rulebase()
    result = assess(profile_of(STRONG, "strong"), rb, engine)  # type: ignore[arg-type]
    alarms = [f.id for f in result.findings if f.kind in ("gap", "risk")]
    assert not alarms, f"a strong organisation got gaps/risks: {alarms}"
    assert [f.id for f in result.findings if f.kind == "strength"], "it should earn strengths"


def test_empty_profile_fires_nothing() -> None:
    rb = bundled_rulebase()
    assert assess(profile_of({}, "empty"), rb, "reference").fired_ids() == ()


def test_exclusive_pairs_are_not_pairs_of_the_same_rule() -> None:
    for c in bundled_rulebase().rules:
        assert c.id not in c.rule.exclusive_with
        assert len(set(c.rule.exclusive_with)) == len(c.rule.exclusive_with)
