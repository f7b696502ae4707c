"""The Profile model: strict, partial profiles allowed, unanswered distinct from no/zero."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.errors import ProfileError
from advisor.facts import catalogue, profile_facts
from advisor.profile import Profile
from advisor.profile_io import parse_profile, profile_from_data


def _profile(**sections: Any) -> Profile:
    return profile_from_data({"schema_version": "1.0", **sections})


def test_empty_profile_is_valid_and_has_no_facts() -> None:
    assert profile_facts(_profile()) == {}


def test_unanswered_is_distinct_from_false_and_zero() -> None:
    no = profile_facts(_profile(funding={"has_multi_year_grant": False, "reserves_months": 0}))
    assert no["funding__has_multi_year_grant"] is False
    assert no["funding__reserves_months"] == 0
    assert "funding__has_multi_year_grant" not in profile_facts(_profile())


def test_choice_lists_become_flags_and_a_count() -> None:
    facts = profile_facts(_profile(organisation={"languages": ["ru", "kk"]}))
    assert facts["organisation__languages"] == 2
    assert facts["organisation__languages__kk"] is True
    assert facts["organisation__languages__en"] is False


def test_every_field_has_a_question_and_a_sensitivity_mark() -> None:
    for spec in catalogue().values():
        assert spec.question.endswith("?") or spec.path.startswith("ratings."), spec.path
        assert isinstance(spec.sensitive, bool)
    sensitive = {p for p, s in catalogue().items() if s.sensitive}
    assert {"funding.donor_names", "foreign_funding.on_public_register", "pressure.tax_audits_3y"} <= sensitive
    assert "organisation.country" not in sensitive


@pytest.mark.parametrize(
    ("sections", "field", "fragment"),
    [
        ({"funding": {"typical_grant_months": "6"}}, "funding.typical_grant_months", "valid integer"),
        ({"funding": {"reserves_months": -1}}, "funding.reserves_months", "greater than or equal"),
        ({"funding": {"typical_grant_month": 6}}, "funding.typical_grant_month", "typical_grant_months"),
        ({"fundng": {}}, "fundng", "did you mean 'funding'"),
        ({"funding": {"share_state_pct": 70, "share_foreign_pct": 40}}, "funding", "more than 100"),
        ({"organisation": {"languages": ["kk", "fr"]}}, "organisation.languages.1", "'kk'"),
        ({"government": {"relationship": "gongo"}}, "government.relationship", "independent"),
        (
            {"foreign_funding": {"reporting_obligation": False, "reports_filed_on_time": True}},
            "foreign_funding.reports_filed_on_time",
            "reporting_obligation is false",
        ),
        (
            {"funding": {"share_state_pct": 10, "share_foreign_pct": 10, "share_local_private_pct": 10,
                         "share_own_income_pct": 10, "largest_source_pct": 60}},
            "funding.largest_source_pct",
            "more than all income shares",
        ),
    ],
)
def test_bad_values_name_the_field(sections: dict[str, Any], field: str, fragment: str) -> None:
    with pytest.raises(ProfileError) as info:
        _profile(**sections)
    assert info.value.field == field
    assert fragment in str(info.value)


def test_missing_schema_version_suggests_the_fix() -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile("funding: {}\n", "p.yaml")
    assert 'schema_version: "1.0"' in str(info.value)


def test_errors_carry_the_line() -> None:
    with pytest.raises(ProfileError) as info:
        parse_profile('schema_version: "1.0"\nfunding:\n  reserves_months: -2\n', "p.yaml")
    assert info.value.line == 3
    assert str(info.value).startswith("p.yaml:3: funding.reserves_months:")
