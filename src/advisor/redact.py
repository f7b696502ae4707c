"""A redacted copy of a profile for a donor or a trainer: keep less data.

What happens to each sensitive field is data (``POLICIES``), per audience: dropped, put in a
band (amounts and shares), or kept only when the user asks for it (register and labelling
experience, ``--keep-register``). A sensitive field a policy does not name is dropped, so a
new sensitive question is never shared by accident. The copy is a valid Profile.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from advisor.areas import AREA_KEYS
from advisor.errors import ProfileError
from advisor.facts import catalogue
from advisor.profile import Profile
from advisor.profile_io import profile_from_data

Audience = Literal["donor", "trainer"]
Action = Literal["drop", "band_amount", "band_pct", "band_count", "register", "keep"]

REGISTER_FIELDS: Final = (
    "foreign_funding.reporting_obligation",
    "foreign_funding.reports_filed_on_time",
    "foreign_funding.on_public_register",
    "foreign_funding.labelled_foreign_agent",
)
SHARES: Final = (
    "funding.share_state_pct",
    "funding.share_foreign_pct",
    "funding.share_local_private_pct",
    "funding.share_own_income_pct",
    "funding.largest_source_pct",
    "funding.share_competitive_pct",
)
EVIDENCE: Final = tuple(f"ratings.{area}.evidence" for area in AREA_KEYS)

_COMMON: Final[dict[str, Action]] = {
    "organisation.name": "drop",
    "funding.donor_names": "drop",
    "funding.annual_budget": "band_amount",
    **{path: "band_pct" for path in SHARES},
    **{path: "register" for path in REGISTER_FIELDS},
    "government.officials_on_board": "drop",
    "pressure.tax_audits_3y": "band_count",
    "pressure.state_funding_cut": "drop",
    "pressure.state_funding_cut_reason": "drop",
    "pressure.topics_avoided": "drop",
    "pressure.criticism_constrained": "drop",
    "pressure.political_pressure": "drop",
    "pressure.beneficiary_mistrust": "drop",
    "pressure.social_backlash": "drop",
    "pressure.threats_received": "drop",
    # A donor's fiduciary screening needs the audit's result; open findings in bands.
    "controls.last_audit_opinion": "keep",
    "controls.open_audit_findings": "band_count",
    **{path: "drop" for path in EVIDENCE},
}

POLICIES: Final[dict[str, dict[str, Action]]] = {
    # A donor screens risk and sets grant conditions: sizes and shares in bands, no names,
    # nothing on sensitive topics or pressure.
    "donor": {**_COMMON, "organisation.sensitive_topics": "drop"},
    # A trainer plans modules: the topics decide which security modules fit.
    "trainer": {**_COMMON, "organisation.sensitive_topics": "keep"},
}

PCT_BAND: Final = 10.0
COUNT_BANDS: Final = ((0, 0), (1, 2), (3, 5), (6, None))


@dataclass(frozen=True)
class Change:
    path: str
    action: str  # "removed" | "coarsened"
    detail: str

    def line(self) -> str:
        return f"{self.action} {self.path}" + (f": {self.detail}" if self.detail else "")


def sensitive_paths() -> list[str]:
    """Every sensitive answer a profile can hold (catalogue fields plus rating evidence)."""
    return [s.path for s in catalogue().values() if s.sensitive] + list(EVIDENCE)


def _amount_band(value: float) -> tuple[float, float]:
    """1–2–5 bands: 0, then [1, 2), [2, 5), [5, 10), [10, 20), …"""
    if value < 1:
        return 0.0, 1.0
    exponent = math.floor(math.log10(value))
    if 10.0**exponent > value:  # log10 rounds up just below a power of ten (9999.99… → 4)
        exponent -= 1
    for low, high in ((1, 2), (2, 5), (5, 10)):
        lo, hi = low * 10.0**exponent, high * 10.0**exponent
        if lo <= value < hi:
            return lo, hi
    return 10.0 ** (exponent + 1), 2 * 10.0 ** (exponent + 1)


def _pct_band(value: float) -> tuple[float, float, float]:
    """(written value, band low, band high): 0 stays 0; anything else its 10-point band's floor,
    with 1 standing for 'some, under 10 %' so that non-zero stays non-zero."""
    if value == 0:
        return 0.0, 0.0, 0.0
    low = math.floor(value / PCT_BAND) * PCT_BAND
    high = min(low + PCT_BAND, 100.0)
    return (low if low > 0 else min(1.0, value)), low, high


def _count_band(value: int) -> tuple[int, str]:
    for low, high in COUNT_BANDS:
        if high is None or value <= high:
            return low, f"{low}" if low == high else f"{low}+" if high is None else f"{low}–{high}"
    raise AssertionError("unreachable")


def _get(data: Mapping[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node[part]
    if value is None:
        del node[parts[-1]]
    else:
        node[parts[-1]] = value


def redact(profile: Profile, audience: Audience, *, keep_register: bool = False,
           name: str = "<profile>") -> tuple[Profile, list[Change]]:
    """The shared copy and the list of what was removed or coarsened (sorted by path)."""
    policy = POLICIES[audience]
    data = profile.model_dump(mode="json", exclude_none=True)
    changes: list[Change] = []
    for path in sensitive_paths():
        value = _get(data, path)
        if value is None:
            continue
        action = policy.get(path, "drop")
        if action == "keep" or (action == "register" and keep_register):
            continue
        if action in ("drop", "register"):
            _set(data, path, None)
            why = "register/labelling experience; --keep-register keeps it" if action == "register" else ""
            changes.append(Change(path, "removed", why))
        elif action == "band_amount":
            low, high = _amount_band(float(value))
            if low == value:
                continue
            _set(data, path, low)
            changes.append(Change(path, "coarsened", f"to the band {low:,.0f}–{high:,.0f} (written as {low:g})"))
        elif action == "band_pct":
            written, low, high = _pct_band(float(value))
            if written == value:
                continue
            _set(data, path, written)
            band = "0 %" if high == 0 else f"{low:g}–{high:g} %"
            changes.append(Change(path, "coarsened", f"to the band {band} (written as {written:g})"))
        elif action == "band_count":
            written_count, band_text = _count_band(int(value))
            if written_count == value:
                continue
            _set(data, path, written_count)
            changes.append(Change(path, "coarsened", f"to the band {band_text} (written as {written_count})"))
    data = {k: v for k, v in data.items() if v != {}}
    try:
        shared = profile_from_data(data, name)
    except ProfileError:
        # Banding can break a cross-field check (the largest funder's share against the
        # banded shares): drop the derived figure rather than share an invalid copy.
        if _get(data, "funding.largest_source_pct") is None:
            raise
        _set(data, "funding.largest_source_pct", None)
        changes = [c for c in changes if c.path != "funding.largest_source_pct"]
        changes.append(Change("funding.largest_source_pct", "removed", "inconsistent once banded"))
        shared = profile_from_data(data, name)
    return shared, sorted(changes, key=lambda c: c.path)
