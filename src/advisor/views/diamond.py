"""The CIVICUS Civil Society Index "diamond": one score per dimension from area maturities.

Each dimension is scored from the maturities (1-4) of the capacity areas DOMAIN.md maps onto
it (``advisor.areas.DIAMOND``). The score is the mean of the areas that have a maturity,
**never more than one level above the weakest of them**: a critical gap that holds one area
at 1 cannot be averaged away by strong neighbours (the HACT lesson). A dimension none of
whose areas has a maturity has no score (``None``), which the chart shows as "not assessed"
rather than as a zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from advisor import labels
from advisor.areas import AREA_BY_KEY, DIAMOND

if TYPE_CHECKING:  # for type hints only
    from advisor.assessment import AreaResult

# The English names; what a report shows is ``labels.dimension_title`` (the reader's language).
DIMENSION_TITLES: dict[str, str] = dict(labels.DIMENSION_TITLES)
assert tuple(DIMENSION_TITLES) == tuple(DIAMOND)


class DiamondDimension(BaseModel):
    """One axis of the diamond."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(description="Dimension key, one of advisor.areas.DIAMOND.")
    title: str = Field(description="Dimension name as shown on the chart.")
    areas: tuple[str, ...] = Field(description="Capacity-area keys that make up this dimension.")
    scored_areas: tuple[str, ...] = Field(description="Those of `areas` that have a maturity.")
    score: float | None = Field(
        description="1.0-4.0, two decimals: mean maturity of `scored_areas`, at most one level "
        "above `weakest_maturity`; null when no area of the dimension has a maturity."
    )
    weakest_area: str | None = Field(description="The area with the lowest maturity (first by area order on ties).")
    weakest_maturity: int | None = Field(description="That area's maturity.")
    capped: bool = Field(description="True when the weakest area held the score below the plain mean.")


def diamond(areas: tuple[AreaResult, ...]) -> tuple[DiamondDimension, ...]:
    """Score every dimension of the diamond, in DIAMOND order."""
    maturity = {a.area: a.maturity for a in areas}
    dims = []
    for key, members in DIAMOND.items():
        scored = tuple(m for m in members if maturity.get(m) is not None)
        if not scored:
            dims.append(DiamondDimension(
                key=key, title=labels.dimension_title(key), areas=members, scored_areas=(),
                score=None, weakest_area=None, weakest_maturity=None, capped=False,
            ))
            continue
        values = [maturity[m] for m in scored]
        assert all(v is not None for v in values)
        ints = [int(v) for v in values if v is not None]
        mean = sum(ints) / len(ints)
        weakest = min(scored, key=lambda m: (maturity[m], members.index(m)))
        low = min(ints)
        score = min(mean, low + 1)
        dims.append(DiamondDimension(
            key=key, title=labels.dimension_title(key), areas=members, scored_areas=scored,
            score=round(score, 2), weakest_area=weakest, weakest_maturity=low,
            capped=score < mean,
        ))
    return tuple(dims)


def area_title(key: str) -> str:
    return labels.area_title(key) if key in AREA_BY_KEY else key
