"""Bands for the numbers a shared copy coarsens, cut where the rules cut.

A band is an interval of a numeric field. The bands of a field are cut at two kinds of edge:

- the **thresholds the rules use** on it (``funding.largest_source_pct > 50`` cuts just above
  50, so 50 lies in the lower band; ``>= 50`` cuts just below it; ``= 0`` makes 0 a band of
  its own), so a value and every other value of its band give every rule the same answer;
- a **coarse grid** that keeps the bands wide enough to say little: 10-point bands for shares,
  1–2–5 bands for amounts, widening bands for counts, and zero on its own (none at all is
  a different answer from a little). Where a grid edge falls on a rule's threshold, the
  rule's side of it wins, so the grid adds no band of a single value.

``Band.representative`` is the value a copy writes: the band's middle, inside the band and so
on the same side of every threshold, never its floor (the floor of a band that starts above a
threshold lies on the threshold's other side).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from advisor.facts import NUMBER_DECIMALS, FieldSpec
from advisor.rules.conditions import Test

Grid = Literal["pct", "amount", "count"]

PCT_STEP = 10.0
COUNT_EDGES = (0, 2, 5, 10, 20, 50, 100)  # bands 0, 1–2, 3–5, 6–10, …, 101 or more
ORDER_OPS = frozenset({"lt", "lte", "gt", "gte"})
POINT_OPS = frozenset({"eq", "ne", "in"})


@dataclass(frozen=True, order=True)
class Cut:
    """An edge between two bands, at ``value``: just below it (``above`` False: the value
    starts the upper band) or just above it (``above`` True: the value ends the lower band)."""

    value: float
    above: bool


@dataclass(frozen=True)
class Band:
    low: float
    high: float
    low_open: bool
    high_open: bool
    integer: bool
    unit: str  # "%" or "" (amounts and counts)
    top: bool = False  # the band runs to the field's largest allowed value

    @property
    def point(self) -> bool:
        """A band of one value: the value itself is what the rules need."""
        if self.integer:
            return self.first == self.last
        return self.low == self.high

    @property
    def first(self) -> int:
        """The smallest whole number in an integer band."""
        return math.floor(self.low) + 1 if self.low_open and self.low == math.floor(self.low) else math.ceil(self.low)

    @property
    def last(self) -> int:
        return math.ceil(self.high) - 1 if self.high_open and self.high == math.ceil(self.high) else math.floor(self.high)

    @property
    def empty(self) -> bool:
        if self.integer:
            return self.first > self.last
        return self.low > self.high or (self.low == self.high and (self.low_open or self.high_open))

    def contains(self, value: float) -> bool:
        above_low = value > self.low if self.low_open else value >= self.low
        below_high = value < self.high if self.high_open else value <= self.high
        return above_low and below_high

    def at(self, position: float) -> float:
        """The value at ``position`` (0 the low end, 1 the high end), rounded to few decimals
        where that stays inside the band."""
        if self.integer:
            first, last = self.first, self.last
            return float(min(last, max(first, first + math.floor(position * (last - first) + 0.5))))
        value = self.low + position * (self.high - self.low)
        for decimals in range(2, NUMBER_DECIMALS + 1):
            rounded = round(value, decimals) + 0.0
            if self.contains(rounded):
                return rounded
        return value

    @property
    def representative(self) -> float:
        """The middle of the band (for whole numbers the middle one, rounded up: never the
        floor of a band of two or more)."""
        return self.at(0.5)

    def label(self) -> str:
        """The band as a range, e.g. ``50–60 %``, ``3–5``, ``101 or more``, ``0 %``."""
        unit = f" {self.unit}" if self.unit else ""
        if self.integer:
            if self.point:
                return f"{self.first}{unit}"
            if self.top:
                return f"{self.first} or more{unit}"
            return f"{self.first}–{self.last}{unit}"
        if self.point:
            return f"{_num(self.low)}{unit}"
        return f"{_num(self.low)}–{_num(self.high)}{unit}"

    def bounds(self) -> str:
        """Which ends belong to a band of real numbers where a rule moved them from the usual
        "from low, under high", e.g. ``over 50, under 60``; else empty."""
        if self.integer or self.point or (not self.low_open and self.high_open):
            return ""
        low = f"over {_num(self.low)}" if self.low_open else f"from {_num(self.low)}"
        high = f"under {_num(self.high)}" if self.high_open else f"up to {_num(self.high)}"
        return f"{low}, {high}"


def _num(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def rule_cuts(path: str, tests: Iterable[Test]) -> set[Cut]:
    """The edges the rules' tests on ``path`` put between its values."""
    cuts: set[Cut] = set()
    for test in tests:
        if test.path != path:
            continue
        values = test.value if isinstance(test.value, tuple) else (test.value,)
        numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if test.op in ("gt", "lte"):
            cuts.update(Cut(v, above=True) for v in numbers)
        elif test.op in ("lt", "gte"):
            cuts.update(Cut(v, above=False) for v in numbers)
        elif test.op in POINT_OPS:
            cuts.update(Cut(v, above=a) for v in numbers for a in (False, True))
    return cuts


def grid_cuts(grid: Grid, low: float, high: float) -> set[Cut]:
    cuts = {Cut(0.0, above=True)}  # zero is a band of its own
    if grid == "pct":
        cuts.update(Cut(PCT_STEP * k, above=False) for k in range(1, int(high // PCT_STEP) + 1))
    elif grid == "amount":
        exponent = 0
        while 10.0**exponent < high:
            cuts.update(Cut(m * 10.0**exponent, above=False) for m in (1, 2, 5))
            exponent += 1
    else:
        cuts.update(Cut(float(edge), above=True) for edge in COUNT_EDGES)
    return {c for c in cuts if low <= c.value < high}


def bands_for(spec: FieldSpec, grid: Grid, tests: Iterable[Test]) -> tuple[Band, ...]:
    """The bands of one field, lowest first: the grid cut at the rules' thresholds."""
    low = spec.ge if spec.ge is not None else 0.0
    high = spec.le if spec.le is not None else math.inf
    from_rules = rule_cuts(spec.path, tests)
    at_rules = {c.value for c in from_rules}
    cuts = sorted(from_rules | {c for c in grid_cuts(grid, low, high) if c.value not in at_rules})
    integer = spec.kind == "int"
    unit = "%" if grid == "pct" else ""
    bands: list[Band] = []
    start, start_open = float(low), False
    for cut in cuts:
        bands.append(Band(start, cut.value, start_open, not cut.above, integer, unit))
        start, start_open = cut.value, cut.above
    bands.append(Band(start, float(high), start_open, False, integer, unit, top=True))
    return tuple(b for b in bands if not b.empty)


def band_of(bands: Iterable[Band], value: float) -> Band:
    """The band holding ``value`` as the rules see it (rounded like a fact)."""
    seen = round(float(value), NUMBER_DECIMALS)
    for band in bands:
        if band.contains(seen):
            return band
    raise ValueError(f"{value!r} lies in no band")  # the profile model keeps values in range
