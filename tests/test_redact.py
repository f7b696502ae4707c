"""advisor share: per-audience redaction policy, bands, and the copy's validity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given

from advisor import redact
from advisor.cli import cli
from advisor.profile_io import load_profile, profile_from_data
from tests.strategies import profile_data

FULL: dict[str, Any] = {
    "schema_version": "1.0",
    "organisation": {"name": "Secret NGO", "country": "KZ", "paid_staff": 6,
                     "sensitive_topics": ["religion"]},
    "funding": {"annual_budget": 43_500_000.0, "currency": "KZT", "share_state_pct": 0,
                "share_foreign_pct": 73.0, "share_local_private_pct": 21.0, "share_own_income_pct": 6.0,
                "largest_source_pct": 55.0, "donor_count": 3, "donor_names": ["Fund A", "Fund B"]},
    "foreign_funding": {"reporting_obligation": True, "labelled_foreign_agent": True},
    "pressure": {"tax_audits_3y": 4, "topics_avoided": True},
    "ratings": {"governance": {"level": 2, "evidence": "minutes of the board, names of members"}},
}


@pytest.mark.parametrize("audience", sorted(redact.POLICIES))
def test_policy_names_every_sensitive_field(audience: str) -> None:
    assert set(redact.sensitive_paths()) <= set(redact.POLICIES[audience])


def test_donor_copy() -> None:
    shared, changes = redact.redact(profile_from_data(FULL), "donor")
    assert shared.organisation.name is None and shared.funding.donor_names is None
    assert shared.organisation.sensitive_topics is None
    assert shared.funding.annual_budget == 20_000_000.0
    assert shared.funding.share_foreign_pct == 70.0 and shared.funding.share_own_income_pct == 1.0
    assert shared.funding.share_state_pct == 0
    assert shared.foreign_funding.labelled_foreign_agent is None
    assert shared.pressure.tax_audits_3y == 3 and shared.pressure.topics_avoided is None
    assert shared.ratings.governance is not None and shared.ratings.governance.evidence is None
    assert shared.organisation.paid_staff == 6 and shared.funding.currency == "KZT"
    listed = {c.path: c.action for c in changes}
    assert listed["organisation.name"] == "removed"
    assert listed["funding.annual_budget"] == "coarsened"
    assert "funding.share_state_pct" not in listed  # unchanged, so not listed
    assert [c.path for c in changes] == sorted(c.path for c in changes)


def test_register_kept_only_with_flag_and_topics_for_trainer() -> None:
    shared, _ = redact.redact(profile_from_data(FULL), "trainer", keep_register=True)
    assert shared.foreign_funding.labelled_foreign_agent is True
    assert shared.foreign_funding.reporting_obligation is True
    assert shared.organisation.sensitive_topics == ("religion",) or shared.organisation.sensitive_topics == ["religion"]


@given(profile_data())
def test_any_valid_profile_gives_a_valid_copy_without_names(data: dict[str, Any]) -> None:
    profile = profile_from_data(data)
    for audience in ("donor", "trainer"):
        shared, _ = redact.redact(profile, audience)  # type: ignore[arg-type]
        dumped = shared.model_dump()
        assert dumped["organisation"]["name"] is None and dumped["funding"]["donor_names"] is None
        assert all(r is None or r["evidence"] is None for r in dumped["ratings"].values())


def test_cli_share(tmp_path: Path) -> None:
    import yaml

    source = tmp_path / "p.yaml"
    source.write_text(yaml.safe_dump(FULL))
    out = tmp_path / "donor.yaml"
    result = CliRunner().invoke(cli, ["share", str(source), "--for", "donor", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "removed organisation.name" in result.output and "coarsened funding.annual_budget" in result.output
    text = out.read_text()
    assert "Secret NGO" not in text and "Fund A" not in text and "minutes" not in text
    assert load_profile(out).funding.share_foreign_pct == 70.0
    result = CliRunner().invoke(cli, ["share", str(source), "--for", "donor", "-o", str(out)])
    assert result.exit_code == 2 and "already exists" in result.output


def test_amount_just_below_a_power_of_ten_stays_in_its_band() -> None:
    """log10(9999999999999.984) rounds to 13.0; the band must still hold the value."""
    from advisor.redact import _amount_band

    for value in (9_999_999_999_999.984, 999.9999999999999, 4_999.99):
        low, high = _amount_band(value)
        assert low <= value < high
