"""Loading a rule base: every inconsistency is an error naming the file, line and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from advisor.errors import RuleBaseError
from advisor.rules.loader import load_rulebase

GAP = """\
id: FIN001
slug: short-grants
kind: gap
area: financial_sustainability
severity: high
dimension: sustainability
title: Grants too short to plan
params:
  short:
    value: 12
    rationale: Under twelve months is short (DOMAIN.md).
when:
  field: funding.typical_grant_months
  op: lt
  param: short
doc:
  what: Typical grants last less than a year for this organisation.
  why: One-year money stops plans and staff at the end of each grant.
  example: {funding: {typical_grant_months: 6}}
  action: Negotiate grants of two years or more with current funders.
sources:
  - source: ref-kz-2023
    section: Institutional / Weaknesses
    quote: the vast majority of the projects do not last more than one year
    statement: KZ23-IW-1
"""

REC = """\
id: DON001
slug: fund-longer
kind: recommendation
audience: donor
area: financial_sustainability
severity: medium
title: Offer a longer grant
when:
  finding: FIN001
doc:
  what: Fund this partner for two years or more when you next can.
  why: Short grants keep partners from planning or keeping staff on.
  example: {funding: {typical_grant_months: 6}}
  action: Agree the next grant for at least twenty-four months.
advice:
  who: Programme officer
  first_step: Check the next funding round's rules.
  timeframe: Next round
sources:
  - source: ref-kz-2023
    section: Recommendations / Sustainable Funding
    quote: Providing funding with a longer project timeframe
    statement: KZ23-REC-5
"""


def make_base(tmp_path: Path, files: dict[str, str], retired: str = "[]") -> Path:
    root = tmp_path / f"rules{len(list(tmp_path.iterdir()))}"
    (root / "modules").mkdir(parents=True)
    (root / "registry.yaml").write_text(f"version: 1.0.0\nretired: {retired}\n")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def load_error(tmp_path: Path, files: dict[str, str], retired: str = "[]") -> RuleBaseError:
    with pytest.raises(RuleBaseError) as info:
        load_rulebase(make_base(tmp_path, files, retired))
    return info.value


def test_a_valid_base_loads_and_chains(tmp_path: Path) -> None:
    rb = load_rulebase(make_base(tmp_path, {"fin/a.yaml": GAP, "rec/b.yaml": REC}))
    assert [r.id for r in rb.rules] == ["DON001", "FIN001"]
    assert rb.by_id["DON001"].stratum == 1 and rb.by_id["FIN001"].stratum == 0
    assert rb.referenced == frozenset({"FIN001"})


def test_unknown_key_is_named_with_line_and_suggestion(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"fin/a.yaml": GAP.replace("severity: high", "severity: high\nseverty: low")})
    assert err.file and err.file.endswith("a.yaml") and err.line == 6
    assert "unknown key" in str(err) and "did you mean 'severity'" in str(err)


def test_unknown_profile_field(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"fin/a.yaml": GAP.replace("typical_grant_months\n  op", "typical_grant_mnths\n  op")})
    assert err.line == 13 and err.field == "when.field"
    assert "did you mean 'funding.typical_grant_months'" in str(err)


def test_unknown_rule_reference(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"fin/a.yaml": GAP, "rec/b.yaml": REC.replace("finding: FIN001", "finding: FIN010")})
    assert "unknown rule 'FIN010'" in str(err) and "did you mean 'FIN001'" in str(err)


def test_duplicate_id_names_both_files(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"fin/a.yaml": GAP, "fin/c.yaml": GAP.replace("short-grants", "other")})
    assert "duplicate rule ID FIN001" in str(err) and "a.yaml" in str(err) and "c.yaml" in str(err)


def test_cycle_between_rules(tmp_path: Path) -> None:
    a = GAP.replace("""  field: funding.typical_grant_months
  op: lt
  param: short""", "  all:\n    - finding: FIN002\n    - {field: funding.typical_grant_months, op: lt, param: short}")
    b = a.replace("FIN001", "FIN0XX").replace("FIN002", "FIN001").replace("FIN0XX", "FIN002").replace(
        "short-grants", "other")
    err = load_error(tmp_path, {"fin/a.yaml": a, "fin/b.yaml": b})
    assert "cycle" in str(err) and "FIN001 -> FIN002 -> FIN001" in str(err)


def test_missing_citation(tmp_path: Path) -> None:
    text = GAP[: GAP.index("sources:")] + "sources: []\n"
    err = load_error(tmp_path, {"fin/a.yaml": text})
    assert err.field == "sources" and "at least 1" in str(err)


def test_threshold_must_be_a_declared_parameter(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"fin/a.yaml": GAP.replace("param: short", "param: shrt")})
    assert "unknown parameter 'shrt'" in str(err) and "did you mean 'short'" in str(err)
    err = load_error(tmp_path, {"fin/a.yaml": GAP.replace("param: short", "value: 12")})
    assert "parameter 'short' is declared but no condition uses it" in str(err)


def test_operator_must_fit_the_field(tmp_path: Path) -> None:
    text = GAP.replace("""  field: funding.typical_grant_months
  op: lt
  param: short""", "  {field: funding.has_multi_year_grant, op: lt, param: short}")
    err = load_error(tmp_path, {"fin/a.yaml": text})
    assert "funding.has_multi_year_grant is yes/no" in str(err)
    text = GAP.replace("""  field: funding.typical_grant_months
  op: lt
  param: short""", "  {field: organisation.languages, op: contains, value: fr}").replace(
        "params:\n  short:\n    value: 12\n    rationale: Under twelve months is short (DOMAIN.md).\n", "")
    err = load_error(tmp_path, {"fin/a.yaml": text})
    assert "'fr' is not one of its choices" in str(err)


def test_retired_ids_are_never_reused(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"fin/a.yaml": GAP}, retired='[{id: FIN001, reason: "merged into FIN002"}]')
    assert "retired" in str(err) and "merged into FIN002" in str(err)


def test_id_prefix_must_match_area_or_audience(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"fin/a.yaml": GAP.replace("id: FIN001", "id: GOV001")})
    assert "must have an ID starting with FIN" in str(err)
    err = load_error(tmp_path, {"fin/a.yaml": GAP, "rec/b.yaml": REC.replace("id: DON001", "id: NGO001")})
    assert "must start with DON" in str(err)


def test_broken_yaml_in_a_rule_file(tmp_path: Path) -> None:
    err = load_error(tmp_path, {"fin/a.yaml": "id: [FIN001\n"})
    assert err.file and err.file.endswith("a.yaml") and "not valid YAML" in str(err)


def test_module_prerequisite_cycle(tmp_path: Path) -> None:
    module = "id: {id}\ntitle: Module {id}\narea: strategy\nobjective: Learn something useful.\nformat: workshop\nhours: 4\nprerequisites: [{pre}]\nprerequisites_why: The other module comes first.\n"
    root = make_base(tmp_path, {"fin/a.yaml": GAP})
    (root / "modules" / "a.yaml").write_text(module.format(id="MOD01", pre="MOD02"))
    (root / "modules" / "b.yaml").write_text(module.format(id="MOD02", pre="MOD01"))
    with pytest.raises(RuleBaseError) as info:
        load_rulebase(root)
    assert "cycle" in str(info.value) and "MOD01 -> MOD02 -> MOD01" in str(info.value)


def test_thresholds_have_at_most_four_decimals(tmp_path: Path) -> None:
    text = GAP.replace("value: 12\n", "value: 0.00001\n").replace(
        "typical_grant_months\n  op", "reserves_months\n  op")
    err = load_error(tmp_path, {"fin/a.yaml": text})
    assert "more than 4 decimal places" in str(err)
