"""Peer benchmark: where one organisation stands in a cohort, from aggregates only. Pure.

Privacy by construction:

- Of each peer only a ``PeerRecord`` is kept: maturity per area, four figures and the IDs of
  its gaps and risks. No name, no file, no free text ever enters it.
- A cohort of fewer than ``MIN_COHORT`` peers is refused (``CohortTooSmall``).
- Every cell (an area's maturity, a figure, a finding's frequency) is computed from at least
  ``MIN_CELL`` peers' answers, or withheld with the reason; how few answered is not told.
- Only the median, the interquartile range and the organisation's own quarter are given:
  never a minimum, maximum or mean (an outlier would show), never a single peer's value.
- The organisation itself is never its own peer (matched by its profile's hash).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import advisor.engine  # noqa: F401  (loads advisor.assessment without the engine/assessment import cycle)
from advisor.areas import AREA_BY_KEY, AREA_KEYS
from advisor.assessment import Assessment, Frozen, profile_hash
from advisor.errors import UsageError
from advisor.profile import Profile

BENCHMARK_SCHEMA_VERSION = "1.0"
MIN_COHORT = 10
MIN_CELL = 5
TOP_FINDINGS = 10

# The main figures: (field, label, whether a higher value is the stronger position).
FIGURES: tuple[tuple[str, str, bool], ...] = (
    ("funding.reserves_months", "Reserves (months of running costs)", True),
    ("funding.typical_grant_months", "Typical grant length (months)", True),
    ("funding.largest_source_pct", "Largest funder's share of income (%)", False),
    ("funding.donor_count", "Number of funders", True),
)
QUARTER_NAMES = ("lowest quarter", "second quarter", "third quarter", "highest quarter")


class CohortTooSmall(UsageError):
    """A cohort too small to compare with without singling out a peer."""


@dataclass(frozen=True, slots=True)
class PeerRecord:
    """All the benchmark keeps of one organisation."""

    hash: str
    maturity: tuple[int | None, ...]  # per AREA_KEYS
    figures: tuple[float | None, ...]  # per FIGURES
    findings: tuple[str, ...]  # its gaps and risks, by ID


def peer_record(profile: Profile, assessment: Assessment) -> PeerRecord:
    by_area = {a.area: a.maturity for a in assessment.areas}
    figures = []
    for path, _, _ in FIGURES:
        section, name = path.split(".")
        value = getattr(getattr(profile, section), name)
        figures.append(None if value is None else float(value))
    return PeerRecord(
        hash=profile_hash(profile),
        maturity=tuple(by_area.get(k) for k in AREA_KEYS),
        figures=tuple(figures),
        findings=tuple(sorted(f.id for f in assessment.findings if f.kind in ("gap", "risk"))),
    )


class Cell(Frozen):
    key: str  # area key or field path
    title: str
    peers_answered: bool  # at least MIN_CELL peers answered
    median: float | None  # of the peers
    q1: float | None  # interquartile range of the peers
    q3: float | None
    value: float | None  # the organisation's own (benchmark only)
    quarter: int | None  # 1-4: where the organisation's value falls among the peers
    position: str | None  # e.g. "highest quarter (stronger than most peers)"
    withheld: str | None  # why no figure is given


class CommonFinding(Frozen):
    id: str
    title: str
    share_pct: int  # of the peers (or organisations) that have it, rounded
    at_least: bool  # fewer than MIN_CELL lack it: the share is capped, so that it does not say all of them
    yours: bool | None  # whether the organisation has it too (benchmark only)


class CohortStats(Frozen):
    schema_version: str
    organisations: int
    areas: tuple[Cell, ...]
    figures: tuple[Cell, ...]
    common_findings: tuple[CommonFinding, ...]
    notes: tuple[str, ...]


class Benchmark(CohortStats):
    organisation: str | None


def _round(value: float) -> float:
    return round(value, 1) + 0.0


def _cell(key: str, title: str, peers: Sequence[float], own: float | None, higher_better: bool | None,
          with_position: bool) -> Cell:
    if len(peers) < MIN_CELL:
        why = f"fewer than {MIN_CELL} answers: a figure from so few could point to one organisation"
        return Cell(key=key, title=title, peers_answered=False, median=None, q1=None, q3=None,
                    value=own if with_position else None, quarter=None, position=None, withheld=why)
    q1, _, q3 = statistics.quantiles(sorted(peers), n=4, method="inclusive")
    quarter = position = None
    if with_position and own is not None:
        below = sum(1 for v in peers if v < own) + 0.5 * sum(1 for v in peers if v == own)
        quarter = min(4, int(4 * below / len(peers)) + 1)
        position = QUARTER_NAMES[quarter - 1]
        if higher_better is not None and quarter in (1, 4):
            stronger = (quarter == 4) == higher_better
            position += " (stronger than most peers)" if stronger else " (weaker than most peers)"
    elif with_position:
        position = "not answered"
    return Cell(key=key, title=title, peers_answered=True, median=_round(statistics.median(peers)), q1=_round(q1),
                q3=_round(q3), value=own if with_position else None, quarter=quarter, position=position, withheld=None)


def _aggregate(records: Sequence[PeerRecord], own: PeerRecord | None, titles: dict[str, str]) -> dict[str, object]:
    areas = tuple(
        _cell(key, AREA_BY_KEY[key].title, [float(m) for r in records if (m := r.maturity[i]) is not None],
              None if own is None or own.maturity[i] is None else float(own.maturity[i] or 0), True, own is not None)
        for i, key in enumerate(AREA_KEYS)
    )
    figures = tuple(
        _cell(path, label, [v for r in records if (v := r.figures[i]) is not None],
              None if own is None else own.figures[i], higher, own is not None)
        for i, (path, label, higher) in enumerate(FIGURES)
    )
    counts = Counter(fid for r in records for fid in r.findings)
    total = len(records)
    # Capped shares sort together (by ID): their order would otherwise tell the counts apart.
    common = sorted(((n, fid) for fid, n in counts.items() if n >= MIN_CELL),
                    key=lambda x: (-min(x[0], total - MIN_CELL), x[1]))
    findings = tuple(
        CommonFinding(id=fid, title=titles.get(fid, fid), share_pct=int(100 * min(n, total - MIN_CELL) / total),
                      at_least=n > total - MIN_CELL, yours=None if own is None else fid in own.findings)
        for n, fid in common[:TOP_FINDINGS]
    )
    rare = sum(1 for n in counts.values() if n < MIN_CELL)
    notes = [f"Only aggregates of at least {MIN_CELL} answers are shown: medians and interquartile ranges, "
             "never a minimum, maximum, mean or any one organisation's answer."]
    if rare:
        notes.append(f"{rare} finding{'s' if rare != 1 else ''} held by fewer than {MIN_CELL} organisations "
                     "in the cohort are not listed.")
    return {"areas": areas, "figures": figures, "common_findings": findings, "notes": tuple(notes)}


def _check_size(n: int, what: str) -> None:
    if n < MIN_COHORT:
        raise CohortTooSmall(
            f"the cohort has {n} {what}; at least {MIN_COHORT} are needed so that no figure can single one out",
            field="--cohort", suggestion="compare with a larger network or portfolio")


def benchmark(subject: Profile, assessment: Assessment, cohort: Iterable[PeerRecord],
              titles: dict[str, str]) -> Benchmark:
    """Where ``subject`` stands among the peers in ``cohort`` (itself left out, if present)."""
    own = peer_record(subject, assessment)
    peers = [r for r in cohort if r.hash != own.hash]
    _check_size(len(peers), "organisations besides this one")
    return Benchmark(schema_version=BENCHMARK_SCHEMA_VERSION, organisation=subject.organisation.name,
                     organisations=len(peers), **_aggregate(peers, own, titles))  # type: ignore[arg-type]


def cohort_stats(cohort: Iterable[PeerRecord], titles: dict[str, str]) -> CohortStats:
    """The same aggregates over a whole portfolio, with no organisation singled out."""
    records = list(cohort)
    _check_size(len(records), "organisations")
    return CohortStats(schema_version=BENCHMARK_SCHEMA_VERSION, organisations=len(records),
                       **_aggregate(records, None, titles))  # type: ignore[arg-type]


__all__ = ["MIN_CELL", "MIN_COHORT", "Benchmark", "Cell", "CohortStats", "CohortTooSmall", "CommonFinding",
           "PeerRecord", "benchmark", "cohort_stats", "peer_record"]
