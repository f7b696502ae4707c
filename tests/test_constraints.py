"""The form's cross-field constraints and the importer's are one; the Profile agrees with both."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.collect.constraints import CHECKS, failed_checks, holds
from advisor.errors import ProfileError
from advisor.kobo_import import import_records
from advisor.profile_io import profile_from_data

SHARES = ("share_state_pct", "share_foreign_pct", "share_local_private_pct", "share_own_income_pct")
percent = st.one_of(st.none(), st.integers(0, 100).map(float))


def _data(values: dict) -> dict:
    funding = {k: values[k] for k in (*SHARES, "largest_source_pct") if values.get(k) is not None}
    organisation = {k: values[k] for k in ("paid_staff", "key_staff_left_12m") if values.get(k) is not None}
    return {"schema_version": "1.0", "funding": funding, "organisation": organisation}


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {**{s: percent for s in SHARES}, "largest_source_pct": percent,
         "paid_staff": st.one_of(st.none(), st.integers(0, 20)),
         "key_staff_left_12m": st.one_of(st.none(), st.integers(0, 50))}
    )
)
def test_what_the_form_accepts_the_profile_accepts(values):
    """The form's constraints let through only answers the Profile validates: the import never
    rejects a submission the form accepted (for these fields)."""
    accepted_by_form = not failed_checks(values)
    try:
        profile_from_data(_data(values))
        accepted_by_profile = True
    except ProfileError:
        accepted_by_profile = False
    if accepted_by_form:
        assert accepted_by_profile, values
    else:
        assert not accepted_by_profile, values  # and the form is no stricter than the model


def test_largest_share_above_all_shares_is_refused_with_the_forms_message():
    row = {"funding/share_state_pct": "10", "funding/share_foreign_pct": "20", "funding/share_local_private_pct": "10",
           "funding/share_own_income_pct": "10", "funding/largest_source_pct": "70"}
    (sub,) = import_records([row]).submissions
    assert sub.error is not None and sub.error.field == "funding.largest_source_pct"
    assert "largest funder's share cannot exceed" in str(sub.error)
    (ok,) = import_records([dict(row, **{"funding/largest_source_pct": "50"})]).submissions
    assert ok.profile is not None


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: f"{c.field}-{c.message}")
def test_a_check_only_runs_on_an_answered_question(check):
    assert holds(check, {})
