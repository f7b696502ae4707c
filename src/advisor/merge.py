"""Merging several respondents' profiles of one organisation into one. Pure.

- A fact every respondent who answered agrees on is kept (lists compare as sets).
- Conflicting facts are never guessed: the merged field stays unanswered and the conflict
  lists who said what. A respondent is named by its file name.
- If facts kept from different respondents fail the profile's cross-field checks together
  (income shares above 100 %, …), the fields of that section that not everyone answered are
  left unanswered too, and listed as conflicts.
- Self-ratings are combined per area: the median, rounded down (the cautious side of a
  1–4 scale), with the spread (highest minus lowest). Areas with a spread of
  ``DISAGREEMENT_SPREAD`` or more are flagged: the respondents see the area differently,
  and that is worth a conversation before any plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from advisor.areas import AREA_KEYS
from advisor.errors import ProfileError
from advisor.i18n import _
from advisor.labels import area_title
from advisor.profile import SCHEMA_VERSION, SECTIONS, Profile

DISAGREEMENT_SPREAD = 2
EVIDENCE_LIMIT = 2000  # AreaRating.evidence max_length


@dataclass(frozen=True)
class Respondent:
    name: str
    profile: Profile


@dataclass(frozen=True)
class Conflict:
    field: str
    said: tuple[tuple[str, Any], ...]  # (respondent, value), respondents in input order
    reason: str


@dataclass(frozen=True)
class RatingSummary:
    area: str
    title: str
    levels: tuple[tuple[str, int], ...]
    merged: int | None
    spread: int | None
    disagree: bool


@dataclass(frozen=True)
class MergeResult:
    profile: Profile
    respondents: tuple[str, ...]
    agreed: tuple[str, ...]  # fields kept
    conflicts: tuple[Conflict, ...]
    ratings: tuple[RatingSummary, ...]

    @property
    def disagreements(self) -> tuple[RatingSummary, ...]:
        return tuple(r for r in self.ratings if r.disagree)

    def as_data(self) -> dict[str, Any]:
        return {
            "respondents": list(self.respondents),
            "agreed": list(self.agreed),
            "conflicts": [
                {"field": c.field, "reason": c.reason,
                 "said": [{"respondent": who, "value": value} for who, value in c.said]}
                for c in self.conflicts
            ],
            "ratings": [
                {"area": r.area, "merged": r.merged, "spread": r.spread, "disagree": r.disagree,
                 "levels": [{"respondent": who, "level": level} for who, level in r.levels]}
                for r in self.ratings
            ],
        }


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(sorted(set(value), key=str))
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    return value


def median_down(levels: list[int]) -> int:
    ordered = sorted(levels)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return math.floor((ordered[middle - 1] + ordered[middle]) / 2)


def respondent_names(labels: list[str]) -> list[str]:
    """File names, or the full paths where two files share a name."""
    from pathlib import PurePath

    names = [PurePath(label).name for label in labels]
    return [name if names.count(name) == 1 else label for name, label in zip(names, labels, strict=True)]


def merge(respondents: list[Respondent]) -> MergeResult:
    if len(respondents) < 2:
        raise ProfileError(_("merge needs at least two respondents' profiles"))
    data: dict[str, dict[str, Any]] = {}
    agreed: list[str] = []
    partial: dict[str, list[str]] = {}  # section -> fields not everyone answered
    conflicts: list[Conflict] = []
    for section in SECTIONS:
        if section == "ratings":
            continue
        model = type(getattr(respondents[0].profile, section))
        data[section] = {}
        for name in model.model_fields:
            path = f"{section}.{name}"
            said = [(r.name, getattr(getattr(r.profile, section), name)) for r in respondents]
            answered = [(who, value) for who, value in said if value is not None]
            if not answered:
                continue
            if len({_comparable(v) for _, v in answered}) == 1:
                value = answered[0][1]
                data[section][name] = list(value) if isinstance(value, list) else value
                agreed.append(path)
                if len(answered) < len(said):
                    partial.setdefault(section, []).append(name)
            else:
                conflicts.append(Conflict(field=path, said=tuple(answered), reason=_("respondents disagree")))
    ratings_data: dict[str, Any] = {}
    summaries = []
    for key in AREA_KEYS:
        levels = [(r.name, int(rating.level)) for r in respondents
                  if (rating := getattr(r.profile.ratings, key)) is not None]
        if not levels:
            summaries.append(RatingSummary(key, area_title(key), (), None, None, False))
            continue
        values = [lvl for _, lvl in levels]
        merged, spread = median_down(values), max(values) - min(values)
        summaries.append(RatingSummary(key, area_title(key), tuple(levels), merged, spread,
                                       spread >= DISAGREEMENT_SPREAD))
        evidence = [f"{who}: {ev}" for who in (n for n, _ in levels)
                    for r in respondents if r.name == who
                    if (ev := getattr(r.profile.ratings, key).evidence)]
        text = (f"Median of {len(values)} respondents, rounded down ("
                + ", ".join(f"{who} {lvl}" for who, lvl in levels) + f"); spread {spread}.")
        if evidence:
            text += " " + " | ".join(evidence)
        ratings_data[key] = {"level": merged, "evidence": text[:EVIDENCE_LIMIT]}
    document: dict[str, Any] = {"schema_version": SCHEMA_VERSION, **{k: v for k, v in data.items() if v}}
    if ratings_data:
        document["ratings"] = ratings_data
    profile = _validate(document, partial, conflicts, respondents)
    kept = tuple(p for p in agreed if not any(c.field == p for c in conflicts))
    return MergeResult(
        profile=profile,
        respondents=tuple(r.name for r in respondents),
        agreed=kept,
        conflicts=tuple(sorted(conflicts, key=lambda c: c.field)),
        ratings=tuple(summaries),
    )


def _validate(document: dict[str, Any], partial: dict[str, list[str]], conflicts: list[Conflict],
              respondents: list[Respondent]) -> Profile:
    """Validate; a failing cross-field check unsets the partly answered fields of its section."""
    for _attempt in range(len(SECTIONS) + 1):
        try:
            return Profile.model_validate(document)
        except ValidationError as exc:
            first = exc.errors()[0]
            message = str(first["msg"]).removeprefix("Value error, ")
            section = message.split(":", 1)[0].split(".", 1)[0]
            names = partial.pop(section, None)
            if first["type"] != "value_error" or not names:
                raise ProfileError(_("the merged profile does not validate: {problem}").format(problem=message)) from None
            for name in names:
                document[section].pop(name, None)
                said = tuple((r.name, v) for r in respondents
                             if (v := getattr(getattr(r.profile, section), name)) is not None)
                conflicts.append(Conflict(field=f"{section}.{name}", said=said,
                                          reason=f"answered by some respondents only, and together the answers fail a check ({message})"))
            if not document[section]:
                del document[section]
    raise ProfileError(_("the merged profile does not validate"))


__all__ = ["DISAGREEMENT_SPREAD", "Conflict", "MergeResult", "RatingSummary", "Respondent",
           "merge", "median_down", "respondent_names"]
