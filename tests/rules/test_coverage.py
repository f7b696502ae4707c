"""The coverage map (rules/coverage/*.yaml) against the rules.

Checked per statement family (KZ23-IW, CSI-S, ...) that some coverage file lists: a part of
the sources whose map file has not been written yet is reported by ``advisor rules
coverage`` but does not fail here.
"""

from __future__ import annotations

from advisor.coverage import coverage_dir, coverage_report, expected_statements, family, load_coverage

from .support import bundled_rulebase


def _mapped_families() -> set[str]:
    return {family(s) for s in load_coverage(coverage_dir(bundled_rulebase()))}


def test_coverage_files_exist_for_both_sources() -> None:
    entries = load_coverage(coverage_dir(bundled_rulebase()))
    assert {e.source for e in entries.values()} == {"ref-kz-2023", "civicus-csi-kz-2011"}


def test_no_uncovered_statement() -> None:
    report = coverage_report(bundled_rulebase())
    families = _mapped_families()
    uncovered = [s for s in report.uncovered if family(s) in families]
    assert not uncovered


def test_no_unknown_rule_in_the_map() -> None:
    report = coverage_report(bundled_rulebase())
    assert not [p.message for p in report.problems if p.code == "unknown_rule"]


def test_no_citation_of_an_unlisted_statement() -> None:
    report = coverage_report(bundled_rulebase())
    families = _mapped_families()
    bad = [
        p.message for p in report.problems
        if p.code == "unlisted_statement" and family(p.statement) in families
    ]
    assert not bad


def test_no_statement_under_the_wrong_source() -> None:
    report = coverage_report(bundled_rulebase())
    assert not [p.message for p in report.problems if p.code == "wrong_source"]


def test_every_expected_statement_family_is_known() -> None:
    # The counts follow /work/shared/sources/README.md: 46 statements of ref-kz-2023, and
    # 25 of the CIVICUS report (5 dimensions, 7 strengths, 9 weaknesses, 4 recommendations).
    expected = expected_statements()
    assert sum(1 for s in expected.values() if s == "ref-kz-2023") == 46
    assert sum(1 for s in expected.values() if s == "civicus-csi-kz-2011") == 25
