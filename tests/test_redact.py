"""advisor share: per-audience redaction policy, bands, and the copy's validity."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given

from advisor import redact
from advisor.bands import band_of
from advisor.cli import cli
from advisor.facts import NUMBER_DECIMALS
from advisor.profile_io import load_profile, profile_from_data
from advisor.rules.loader import RuleBase, load_rulebase
from tests.conftest import RULES
from tests.strategies import profile_data


@cache
def _rules() -> RuleBase:
    """For properties (a fixture's repr would fill a failing example's report)."""
    return load_rulebase(RULES)


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


def test_donor_copy(rulebase: RuleBase) -> None:
    shared, changes = redact.redact(profile_from_data(FULL), "donor", rulebase)
    assert shared.organisation.name is None and shared.funding.donor_names is None
    assert 20_000_000 <= shared.funding.annual_budget < 50_000_000
    assert shared.funding.annual_budget != 43_500_000.0
    assert 70 <= shared.funding.share_foreign_pct < 80 and shared.funding.share_foreign_pct != 73.0
    assert 0 < shared.funding.share_own_income_pct < 10 and shared.funding.share_own_income_pct != 6.0
    assert shared.funding.share_state_pct == 0
    assert shared.foreign_funding.labelled_foreign_agent is None
    assert 2 <= shared.pressure.tax_audits_3y <= 5 and shared.pressure.topics_avoided is None
    assert shared.ratings.governance is not None and shared.ratings.governance.evidence is None
    assert shared.organisation.paid_staff == 6 and shared.funding.currency == "KZT"
    listed = {c.path: c.action for c in changes}
    assert listed["organisation.name"] == "removed"
    assert listed["funding.annual_budget"] == "coarsened"
    assert listed["pressure.tax_audits_3y"] == "coarsened"  # listed even where the band's middle is the answer
    assert "funding.share_state_pct" not in listed  # 0 % is a band of its own: unchanged, so not listed
    assert [c.path for c in changes] == sorted(c.path for c in changes)


def test_register_kept_only_with_flag_and_topics_for_trainer(rulebase: RuleBase) -> None:
    shared, _ = redact.redact(profile_from_data(FULL), "trainer", rulebase, keep_register=True)
    assert shared.foreign_funding.labelled_foreign_agent is True
    assert shared.foreign_funding.reporting_obligation is True
    assert shared.organisation.sensitive_topics == ("religion",) or shared.organisation.sensitive_topics == ["religion"]


@given(profile_data())
def test_any_valid_profile_gives_a_valid_copy_without_names(data: dict[str, Any]) -> None:
    rulebase = _rules()
    profile = profile_from_data(data)
    for audience in ("donor", "trainer"):
        shared, _ = redact.redact(profile, audience, rulebase)  # type: ignore[arg-type]
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
    assert 70 <= load_profile(out).funding.share_foreign_pct < 80
    result = CliRunner().invoke(cli, ["share", str(source), "--for", "donor", "-o", str(out)])
    assert result.exit_code == 2 and "already exists" in result.output


def test_amount_just_below_a_band_edge_is_banded_as_the_rules_see_it(rulebase: RuleBase) -> None:
    """Rules compare numbers rounded to NUMBER_DECIMALS places: 999.9999999999999 is 1000 to them."""
    bands = redact.field_bands(rulebase, "donor")["funding.annual_budget"]
    for value, low in ((9_999_999_999_999.984, 5e12), (999.9999999999999, 1000.0), (4_999.99, 2000.0)):
        band = band_of(bands, value)
        assert band.low == low and band.contains(round(value, NUMBER_DECIMALS))
        assert band.contains(band.representative)


# --- the donor's copy screens like the original (issue 12, section 3) ----------------------

# Shares that sit just above or below the rules' thresholds: the largest funder above 50 %
# (FIN004), local private income between 5 and 10 % (not FIN005), own income under 1 %.
EDGES: dict[str, Any] = {
    "schema_version": "1.0",
    "organisation": {"thematic_focus": ["religious_freedom"], "sensitive_topics": ["religion"]},
    "funding": {"share_state_pct": 0.0, "share_foreign_pct": 92.4, "share_local_private_pct": 7.0,
                "share_own_income_pct": 0.6, "largest_source_pct": 55.0, "donor_count": 4},
}


def _share_cli(tmp_path: Path, data: dict[str, Any], *args: str) -> tuple[Any, str]:
    import yaml

    source = tmp_path / "original.yaml"
    source.write_text(yaml.safe_dump(data))
    out = tmp_path / "copy.yaml"
    result = CliRunner().invoke(cli, ["share", str(source), "--for", "donor", "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return load_profile(out), result.output


def _finding_ids(profile: Any, rulebase: Any) -> set[str]:
    from advisor.engine import assess_outcome

    return {f.id for f in assess_outcome(profile, rulebase, "reference").findings}


def test_copy_keeps_fin004_and_gains_neither_fin005_nor_fin008(tmp_path: Path, rulebase: Any) -> None:
    original = profile_from_data(EDGES)
    shared, _ = _share_cli(tmp_path, EDGES)
    before, after = _finding_ids(original, rulebase), _finding_ids(shared, rulebase)
    assert "FIN004" in before and "FIN004" in after
    assert "FIN005" not in before and "FIN005" not in after
    assert "FIN008" not in before and "FIN008" not in after


def test_share_under_one_percent_is_banded_and_listed(tmp_path: Path) -> None:
    shared, output = _share_cli(tmp_path, EDGES)
    assert shared.funding.share_own_income_pct != 0.6
    assert 0 < shared.funding.share_own_income_pct < 10
    assert "coarsened funding.share_own_income_pct" in output


def test_band_is_shown_as_a_range_not_its_floor(tmp_path: Path) -> None:
    shared, output = _share_cli(tmp_path, EDGES)
    line = next(l for l in output.splitlines() if "funding.largest_source_pct" in l)
    assert "50–60 %" in line
    assert 50 < shared.funding.largest_source_pct < 60


def test_topics_and_themes_are_treated_alike(tmp_path: Path) -> None:
    shared, _ = _share_cli(tmp_path, EDGES)
    kept_topics = shared.organisation.sensitive_topics is not None
    kept_themes = shared.organisation.thematic_focus is not None
    assert kept_topics == kept_themes


def test_bands_put_a_threshold_on_the_side_its_rule_does() -> None:
    from advisor.bands import bands_for
    from advisor.facts import catalogue
    from advisor.rules.conditions import Test

    path = "funding.largest_source_pct"
    spec = catalogue()[path]
    above = bands_for(spec, "pct", [Test(path, "gt", 50)])
    assert band_of(above, 50).label() == "40–50 %" and band_of(above, 50.0001).label() == "50–60 %"
    at_least = bands_for(spec, "pct", [Test(path, "gte", 50)])
    assert band_of(at_least, 50).label() == "50–60 %" and band_of(at_least, 49.9999).label() == "40–50 %"
    exactly = bands_for(spec, "pct", [Test(path, "eq", 45)])
    assert band_of(exactly, 45).point and not band_of(exactly, 44.9).point
    off_grid = bands_for(spec, "pct", [Test(path, "lt", 33)])
    assert band_of(off_grid, 32.9).label() == "30–33 %" and band_of(off_grid, 33).label() == "33–40 %"
    for bands in (above, at_least, exactly, off_grid):
        for band in bands:
            assert band.contains(band.representative)
            assert band.point or band.representative != band.low  # never the band's floor


def test_counts_in_bands_whole_numbers() -> None:
    from advisor.bands import bands_for
    from advisor.facts import catalogue
    from advisor.rules.conditions import Test

    path = "pressure.tax_audits_3y"
    bands = bands_for(catalogue()[path], "count", [Test(path, "gte", 2)])
    assert [b.label() for b in bands][:4] == ["0", "1", "2–5", "6–10"]
    assert bands[-1].label() == "101 or more"
    assert [b.representative for b in bands][:4] == [0, 1, 4, 8]
