"""`advisor rules lint` refuses what issue 11 asks it to refuse: a gap or risk that reaches no NGO
recommendation or module, a recommendation that answers no finding (unless standalone, with a
reason), advice without ``done_when``, a module without 2-4 outcomes, a quote that is not in its
source; and the loader refuses a cycle of ``after`` orderings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor.errors import RuleBaseError
from advisor.rules.lint import advice_problems, layout_problems, quote_problems, reach_problems
from advisor.rules.loader import load_rulebase

from ..conftest import REPO
from .test_loader import GAP, REC, make_base

SOURCES = REPO / "rules" / "coverage" / "sources"

NGO_REC = REC.replace("id: DON001", "id: NGO001").replace("audience: donor", "audience: ngo") + \
    "".join([])  # same finding reference, NGO audience
DONE = "  timeframe: Next round\n  done_when: A signed agreement of 24 months or more.\n"
MODULE = ("id: MOD01\ntitle: Sustainability planning\narea: financial_sustainability\n"
          "objective: Write a plan for after the grant.\nformat: workshop\nhours: 4\naddresses: [FIN001]\n")


def base(tmp_path: Path, files: dict[str, str]) -> Path:
    root = make_base(tmp_path, files)
    shutil.copytree(SOURCES, root / "coverage" / "sources")
    return root


def test_a_gap_without_ngo_recommendation_or_module_is_a_problem(tmp_path: Path) -> None:
    rb = load_rulebase(base(tmp_path, {"financial_sustainability/short-grants.yaml": GAP}))
    problems = reach_problems(rb)
    assert any("FIN001 reaches no NGO recommendation" in p for p in problems)
    assert any("FIN001 is addressed by no training module" in p for p in problems)
    rb = load_rulebase(base(tmp_path, {
        "financial_sustainability/short-grants.yaml": GAP,
        "recommendations/ngo/fund-longer.yaml": NGO_REC,
        "modules/MOD01.yaml": MODULE,
    }))
    assert not reach_problems(rb)


def test_a_recommendation_that_answers_no_finding_must_be_standalone(tmp_path: Path) -> None:
    field_rec = NGO_REC.replace("when:\n  finding: FIN001", "when:\n  field: funding.has_multi_year_grant\n  op: eq\n  value: false")
    rb = load_rulebase(base(tmp_path, {"recommendations/ngo/fund-longer.yaml": field_rec}))
    assert any("answers no finding" in p for p in reach_problems(rb))
    standalone = field_rec.replace("sources:", "standalone: true\nstandalone_reason: Offered to every partner without a long grant on purpose.\nsources:", 1)
    rb = load_rulebase(base(tmp_path, {"recommendations/ngo/fund-longer.yaml": standalone}))
    assert not any("answers no finding" in p for p in reach_problems(rb))


def test_standalone_needs_its_reason(tmp_path: Path) -> None:
    bad = NGO_REC.replace("sources:", "standalone: true\nsources:", 1)
    with pytest.raises(RuleBaseError) as info:
        load_rulebase(base(tmp_path, {"recommendations/ngo/fund-longer.yaml": bad}))
    assert "standalone_reason" in str(info.value)


def test_advice_without_done_when_and_module_without_outcomes(tmp_path: Path) -> None:
    rb = load_rulebase(base(tmp_path, {"financial_sustainability/short-grants.yaml": GAP,
                                       "recommendations/donor/fund-longer.yaml": REC, "modules/MOD01.yaml": MODULE}))
    problems = advice_problems(rb)
    assert any("done_when" in p for p in problems) and any("MOD01: 0 learning outcomes" in p for p in problems)
    good = REC.replace("  timeframe: Next round\n", DONE)
    outcomes = MODULE + "outcomes:\n- Write a plan.\n- Set a reserve target.\n"
    rb = load_rulebase(base(tmp_path, {"financial_sustainability/short-grants.yaml": GAP,
                                       "recommendations/donor/fund-longer.yaml": good, "modules/MOD01.yaml": outcomes}))
    assert not advice_problems(rb)


def test_a_quote_not_in_its_source_is_a_problem(tmp_path: Path) -> None:
    rb = load_rulebase(base(tmp_path, {"financial_sustainability/short-grants.yaml": GAP}))
    assert not quote_problems(rb)
    invented = GAP.replace("the vast majority of the projects do not last more than one year",
                           "the vast majority of the projects last less than six months")
    rb = load_rulebase(base(tmp_path, {"financial_sustainability/short-grants.yaml": invented}))
    assert any("KZ23-IW-1 is not in ref-kz-2023 word for word" in p for p in quote_problems(rb))


def test_file_name_is_the_slug_and_folder_the_area(tmp_path: Path) -> None:
    rb = load_rulebase(base(tmp_path, {"fin/a.yaml": GAP}))
    problems = layout_problems(rb)
    assert any("differs from the slug" in p for p in problems)
    assert any("belongs in rules/financial_sustainability/" in p for p in problems)


def test_a_cycle_of_after_orderings_is_refused(tmp_path: Path) -> None:
    one = NGO_REC.replace("sources:", "after: [NGO002]\nsources:", 1)
    two = NGO_REC.replace("id: NGO001", "id: NGO002").replace("slug: fund-longer", "slug: fund-longer-two") \
        .replace("sources:", "after: [NGO001]\nsources:", 1)
    with pytest.raises(RuleBaseError) as info:
        load_rulebase(base(tmp_path, {"financial_sustainability/short-grants.yaml": GAP,
                                      "recommendations/ngo/fund-longer.yaml": one,
                                      "recommendations/ngo/fund-longer-two.yaml": two}))
    assert "cycle" in str(info.value) and "NGO001" in str(info.value)


def test_the_bundled_rule_base_passes_every_check() -> None:
    rb = load_rulebase(REPO / "rules")
    assert not (reach_problems(rb) + advice_problems(rb) + quote_problems(rb) + layout_problems(rb))
