"""Issue 11's failures of the first rule base, each pinned: evidence lists only the branch that
held, a founding year in the future is refused by the clock, a self-rating's evidence note
travels with its finding, and safety language stays safe (deletion keeps the law's records,
encryption is a choice)."""

from __future__ import annotations

import datetime
import re

import pytest

from advisor.engine import assess
from advisor.errors import ProfileError
from advisor.profile import Profile
from advisor.profile_io import profile_from_data
from advisor.rules.loader import RuleBase


def _evidence(rulebase: RuleBase, data: dict[str, object], rule_id: str) -> dict[str, object]:
    profile = profile_from_data({"schema_version": "1.0", **data})
    finding = assess(profile, rulebase, "reference").finding(rule_id)
    assert finding is not None, f"{rule_id} should fire"
    return {e.field: e.value for e in finding.evidence}


@pytest.mark.parametrize("engine", ["reference", "durable"])
def test_evidence_is_the_branch_that_held(rulebase: RuleBase, engine: str) -> None:
    from advisor.engine import durable_available

    if engine == "durable" and not durable_available():
        pytest.skip("durable-rules not installed")
    profile = profile_from_data({"schema_version": "1.0", "pressure": {"political_pressure": False, "topics_avoided": True}})
    ctx009 = assess(profile, rulebase, engine).finding("CTX009")  # type: ignore[arg-type]
    assert ctx009 is not None
    assert {e.field: e.value for e in ctx009.evidence} == {"pressure.topics_avoided": True}


def test_an_unanswered_branch_is_not_evidence(rulebase: RuleBase) -> None:
    # LOC051: rural share high (first branch); areas served unanswered (second branch, did not hold)
    assert _evidence(rulebase, {"practices": {"rural_share_pct": 60}}, "LOC051") == {"practices.rural_share_pct": 60.0}


def test_a_self_rating_brings_its_evidence_note(rulebase: RuleBase) -> None:
    evidence = _evidence(rulebase, {"ratings": {"monitoring_evaluation": {"level": 1, "evidence": "No baselines."}}}, "MEL060")
    assert evidence == {"ratings.monitoring_evaluation": 1, "ratings.monitoring_evaluation.evidence": "No baselines."}


def test_founding_year_may_not_lie_in_the_future() -> None:
    data = {"schema_version": "1.0", "organisation": {"year_founded": 2031}}
    with pytest.raises(Exception) as info:
        Profile.model_validate(data, context={"today": datetime.date(2030, 6, 1)})
    assert "future" in str(info.value)
    assert Profile.model_validate(data, context={"today": datetime.date(2031, 1, 1)}).organisation.year_founded == 2031
    this_year = datetime.date.today().year
    with pytest.raises(ProfileError) as error:
        profile_from_data({"schema_version": "1.0", "organisation": {"year_founded": this_year + 1}})
    assert error.value.field == "organisation.year_founded"


def _texts(rulebase: RuleBase) -> list[tuple[str, str]]:
    out = []
    for compiled in rulebase.rules:
        rule = compiled.rule
        texts = [rule.doc.action]  # the advice, not the description of the situation
        if rule.advice:
            texts += [rule.advice.first_step]
        out += [(rule.id, t) for t in texts]
    for module in rulebase.modules:
        out += [(module.id, t) for t in (module.objective, *module.outcomes)]
    return out


def test_deletion_advice_keeps_what_the_law_requires(rulebase: RuleBase) -> None:
    for rid, text in _texts(rulebase):
        if re.search(r"\bdelet", text, re.I) and rid.startswith(("NGO", "CTX", "TRN")):
            assert re.search(r"law|legal|require", text, re.I), f"{rid}: deletion advice without the legal exception"
            assert re.search(r"inspection", text, re.I), f"{rid}: deletion advice must exclude announced inspections"


def test_encryption_is_offered_as_a_choice(rulebase: RuleBase) -> None:
    for rid, text in _texts(rulebase):
        if re.search(r"\bencrypt", text, re.I):
            assert re.search(r"decide|whether|choice|choose|as a choice", text, re.I), \
                f"{rid}: encryption must be a choice: {text}"


def test_security_comes_before_visibility_as_data(rulebase: RuleBase) -> None:
    assert "NGO010" in rulebase.by_id["NGO011"].rule.after
    assert "NGO010" in rulebase.by_id["NGO018"].rule.after
    assert "TRN011" in rulebase.by_id["TRN004"].rule.after


def test_local_sponsors_of_a_listed_organisation_are_warned_about(rulebase: RuleBase) -> None:
    action = rulebase.by_id["NGO014"].rule.doc.action
    assert "register" in action and "pressure" in action


def test_board_separation_is_negotiated_with_the_founding_body(rulebase: RuleBase) -> None:
    rule = rulebase.by_id["NGO012"].rule
    assert "founding body" in rule.title and "founding body" in rule.doc.action


NEW_QUESTIONS = (
    "controls.accounting_system", "controls.has_procurement_policy", "controls.budget_vs_actual_reporting",
    "controls.last_audit_opinion", "controls.open_audit_findings", "controls.has_anti_fraud_policy",
    "controls.has_whistleblowing_channel", "organisation.board_meetings_12m", "practices.has_safeguarding_policy",
    "practices.has_hr_policies", "practices.beneficiary_data_storage", "funding.share_competitive_pct",
    "pressure.social_backlash", "pressure.threats_received", "pressure.state_funding_cut_reason",
    "organisation.languages", "organisation.areas_served",
)


@pytest.mark.parametrize("path", NEW_QUESTIONS)
def test_every_question_the_established_tools_ask_is_read_by_a_rule(rulebase: RuleBase, path: str) -> None:
    assert rulebase.rules_by_field.get(path), f"{path} is asked but no rule reads it"


def test_coverage_check_lists_domain_knowledge() -> None:
    from click.testing import CliRunner

    from advisor.cli import cli

    result = CliRunner().invoke(cli, ["rules", "coverage", "--check"])
    assert result.exit_code == 0, result.output
    assert "uncovered 0" in result.output and "domain-knowledge citations:" in result.output
    assert "CTX052  DK-FF-REGISTER" in result.output and "FMG054  DK-HACT" in result.output
