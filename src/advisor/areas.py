"""The capacity areas every profile, rule and report speaks of.

Twelve areas combining OCA, OCAT, CCAT, OPI, the CSO Sustainability Index and the CIVICUS
Civil Society Index (see ../shared/design/DOMAIN.md), each with the ID prefix its findings
use, and the CIVICUS "diamond" dimensions built from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Area:
    key: str
    prefix: str
    title: str


AREAS: Final[tuple[Area, ...]] = (
    Area("governance", "GOV", "Identity, governance and legal standing"),
    Area("strategy", "STR", "Strategy, leadership and adaptive capacity"),
    Area("financial_management", "FMG", "Financial management and internal controls"),
    Area("financial_sustainability", "FIN", "Financial sustainability and resource mobilisation"),
    Area("human_resources", "HRV", "Human resources and volunteers"),
    Area("project_design", "PRJ", "Programme and project design"),
    Area("monitoring_evaluation", "MEL", "Monitoring, evaluation and learning"),
    Area("advocacy", "ADV", "Advocacy, external relations and public image"),
    Area("accountability", "ACC", "Values, accountability and safeguarding"),
    Area("local_ownership", "LOC", "Constituency, civic engagement and local ownership"),
    Area("networks", "NET", "Networks, coordination and sector infrastructure"),
    Area("context", "CTX", "External environment and context risk"),
)

AREA_KEYS: Final[tuple[str, ...]] = tuple(a.key for a in AREAS)
AREA_BY_KEY: Final[dict[str, Area]] = {a.key: a for a in AREAS}
AREA_BY_PREFIX: Final[dict[str, Area]] = {a.prefix: a for a in AREAS}

# Recommendation IDs carry the audience's prefix instead of an area's.
AUDIENCE_PREFIXES: Final[dict[str, str]] = {"NGO": "ngo", "DON": "donor", "TRN": "trainer"}
AUDIENCES: Final[tuple[str, ...]] = ("ngo", "donor", "trainer")

# The CIVICUS CSI diamond, mapped onto the areas as DOMAIN.md prescribes.
DIAMOND: Final[dict[str, tuple[str, ...]]] = {
    "civic_engagement": ("local_ownership",),
    "level_of_organisation": ("governance", "financial_management", "human_resources", "networks"),
    "practice_of_values": ("accountability",),
    "perception_of_impact": ("project_design", "monitoring_evaluation", "advocacy"),
    "external_environment": ("context",),
}
