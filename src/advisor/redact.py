"""A redacted copy of a profile for a donor or a trainer: keep less data, screen the same.

What happens to each sensitive field is data (``POLICIES``), per audience: dropped, put in a
band (amounts, shares and counts), kept, or kept only when the user asks for it (register and
labelling experience, ``--keep-register``). A sensitive field a policy does not name is
dropped, so a new sensitive question is never shared by accident.

**Bands follow the rules.** The bands of a field are cut at the thresholds the loaded rule
base uses on it, on top of a coarse grid (``advisor.bands``), and the copy writes a value
inside the band (its middle), never the original. So every rule gives the same answer on the
copy as on the original: the donor's screening of the copy differs from the screening of the
original only by what the fields the policy drops would have said. Which rule base cut the
bands is part of the input: ``redact`` takes it, and the CLI loads it (``--rules``).

Shares are placed together, inside their bands, so that the copy stays a valid profile: the
income shares add up to at most 100 % and the largest funder's share is at most their sum.
Where the bands' middles would break that, the shares move within their bands (towards the
low end of the shares' bands and of the largest funder's band); the result depends on the
bands only, so the copy never tells more than the bands.

**Themes and sensitive topics are treated alike, and both are kept for a donor.** The themes
(``organisation.thematic_focus``: religious freedom, gender, ethnic relations, …) and the
sensitive topics (religion, gender, ethnicity, …) say the same thing twice, so removing one
and keeping the other protects nothing. A donor is shown the work it is asked to fund (the
proposal names it), so dropping both would hide nothing from the donor and would only take
away the context findings built on them (work on religion or gender draws attention) and with
them the protective conditions the screening gives the partner: keep the partner's name out
of public lists, a security budget line, flexibility when pressure hits. What the copy leaves
out is what a donor does not need to judge the use of funds: the organisation's and funders'
names, exact sums and shares, free-text evidence, the partner's experience of pressure and,
unless asked, of registers and labelling. A trainer keeps both too: the topics decide which
security modules fit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

from advisor.areas import AREA_KEYS
from advisor.bands import Band, Grid, band_of, bands_for
from advisor.errors import ProfileError
from advisor.facts import catalogue
from advisor.profile import SHARE_TOLERANCE, Profile
from advisor.profile_io import profile_from_data
from advisor.rules.conditions import Test, tests_of

if TYPE_CHECKING:
    from advisor.rules.loader import RuleBase

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
)
LARGEST: Final = "funding.largest_source_pct"
EVIDENCE: Final = tuple(f"ratings.{area}.evidence" for area in AREA_KEYS)

_COMMON: Final[dict[str, Action]] = {
    "organisation.name": "drop",
    # Both lists say what the work is about; see the module docstring.
    "organisation.sensitive_topics": "keep",
    "funding.donor_names": "drop",
    "funding.annual_budget": "band_amount",
    **{path: "band_pct" for path in (*SHARES, LARGEST)},
    "funding.share_competitive_pct": "band_pct",
    # The independent auditor's opinion on the accounts is what due diligence and a
    # financial-management plan both start from; the number of open findings is banded.
    "controls.last_audit_opinion": "keep",
    "controls.open_audit_findings": "band_count",
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
    **{path: "drop" for path in EVIDENCE},
}

POLICIES: Final[dict[str, dict[str, Action]]] = {
    # A donor screens risk and sets grant conditions: sizes and shares in bands, no names,
    # nothing on the partner's experience of pressure.
    "donor": dict(_COMMON),
    # A trainer plans modules: the same copy (the topics decide which security modules fit).
    "trainer": dict(_COMMON),
}

GRIDS: Final[dict[str, Grid]] = {"band_amount": "amount", "band_pct": "pct", "band_count": "count"}


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


def rule_tests(rulebase: RuleBase) -> list[Test]:
    """Every field test in the rule base (params substituted)."""
    return [t for rule in rulebase.rules for term in rule.terms if term.expr is not None
            for t in tests_of(term.expr)]


def field_bands(rulebase: RuleBase, audience: Audience) -> dict[str, tuple[Band, ...]]:
    """The bands of each field the audience's policy bands, cut at the rules' thresholds."""
    tests = rule_tests(rulebase)
    specs = catalogue()
    return {path: bands_for(specs[path], GRIDS[action], tests)
            for path, action in sorted(POLICIES[audience].items()) if action in GRIDS}


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


# --- placing the shares inside their bands ------------------------------------------------


def _fits(shares: list[float], largest: float | None) -> bool:
    """The profile's own cross-field checks on shares (with its rounding tolerance)."""
    total = sum(shares)
    if total > 100 + SHARE_TOLERANCE:
        return False
    return largest is None or len(shares) < len(SHARES) or largest <= total + SHARE_TOLERANCE


def _place(shares: list[Band], largest: Band | None, slack: float) -> tuple[list[float], float | None] | None:
    """Values inside the bands that keep the shares' sum within 100 % (+ ``slack``) and the
    largest funder within their sum (+ ``slack``), as near the bands' middles as that allows;
    None if this slack is not enough. The shares move together: one position in all bands."""
    linked = largest is not None and len(shares) == len(SHARES)
    low = sum(b.low for b in shares)
    width = sum(b.high - b.low for b in shares)

    def position(total: float) -> float:  # where in the bands the shares add up to ``total``
        return (total - low) / width if width > 0 else (0.0 if total >= low else -1.0)

    lowest, highest = 0.0, min(1.0, position(100 + slack))
    if linked:
        assert largest is not None
        lowest = max(lowest, position(largest.low - slack))
    if highest < lowest or (width == 0 and highest < 0) or (slack == 0 and width > 0 and highest <= 0):
        return None  # (without slack, never at the floor of every band: try with it)
    if lowest <= 0.5 <= highest:
        t = 0.5
    elif highest < 0.5 and slack == 0:
        t = highest  # the shares add up to 100 %
    else:
        t = (lowest + highest) / 2
    placed = [b.at(t) for b in shares]
    if largest is None:
        return placed, None
    u = 0.5
    if linked and largest.high > largest.low:
        room = (sum(placed) + slack - largest.low) / (largest.high - largest.low)
        if room <= 0 and slack == 0:
            return None
        if room < 0.5:
            u = room / 2  # half-way between the band's low end and the shares' sum
    value = largest.at(u)
    if not all(b.contains(v) for b, v in zip(shares, placed, strict=True)) or not largest.contains(value):
        return None
    return placed, value


def place_shares(shares: list[Band], largest: Band | None) -> tuple[list[float], float | None]:
    """The values a copy writes for the income shares and the largest funder's share."""
    for slack in (0.0, SHARE_TOLERANCE):
        placed = _place(shares, largest, slack)
        if placed is not None and _fits(*placed):
            return placed
    raise AssertionError(f"no values inside the bands {shares} and {largest} pass the profile's checks")


# --- the copy ---------------------------------------------------------------------------------


def _coarsened(path: str, band: Band, written: float, integer: bool) -> Change:
    shown = f"{int(written)}" if integer else f"{written:g}" if abs(written) < 1e6 else f"{written:,.0f}"
    bounds = band.bounds()
    return Change(path, "coarsened",
                  f"to the band {band.label()}" + (f" ({bounds})" if bounds else "") + f", written as {shown}")


def redact(profile: Profile, audience: Audience, rulebase: RuleBase, *, keep_register: bool = False,
           name: str = "<profile>") -> tuple[Profile, list[Change]]:
    """The shared copy and the list of what was removed or coarsened (sorted by path).

    The bands are cut at the thresholds of ``rulebase``: every rule in it gives the copy the
    same answer as the original, except the rules that read a field the policy drops.
    """
    policy = POLICIES[audience]
    bands = field_bands(rulebase, audience)
    data = profile.model_dump(mode="json", exclude_none=True)
    changes: list[Change] = []
    located: dict[str, Band] = {}
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
        else:
            located[path] = band_of(bands[path], float(value))
    written: dict[str, float] = {path: band.representative for path, band in located.items()}
    shares = [p for p in SHARES if p in located]
    if shares or LARGEST in located:
        placed, largest = place_shares([located[p] for p in shares], located.get(LARGEST))
        written.update(zip(shares, placed, strict=True))
        if largest is not None:
            written[LARGEST] = largest
    for path, band in located.items():
        integer = catalogue()[path].kind == "int"
        new: float | int = int(written[path]) if integer else written[path]
        _set(data, path, new)
        if not band.point:  # a band of one value is the answer as the rules see it: not listed
            changes.append(_coarsened(path, band, float(new), integer))
    data = {k: v for k, v in data.items() if v != {}}
    try:
        shared = profile_from_data(data, name)
    except ProfileError as exc:  # the placing above keeps the profile's checks: a bug if not
        raise AssertionError(f"the redacted copy is not a valid profile: {exc}") from exc
    return shared, sorted(changes, key=lambda c: c.path)
