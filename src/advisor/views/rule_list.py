"""Every rule of a rule base in one list, for ``advisor rules list``. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.rules.loader import RuleBase


@dataclass(frozen=True, slots=True)
class RuleRow:
    id: str
    kind: str
    audience: str | None
    area: str
    severity: str
    title: str
    path: str


@dataclass(frozen=True, slots=True)
class RuleList:
    version: str
    hash: str
    rules: tuple[RuleRow, ...]


def rule_list(rulebase: RuleBase) -> RuleList:
    return RuleList(
        version=rulebase.version,
        hash=rulebase.digest,
        rules=tuple(
            RuleRow(id=c.id, kind=c.rule.kind, audience=c.rule.audience, area=c.rule.area,
                    severity=c.rule.severity, title=c.rule.title, path=c.path)
            for c in rulebase.rules
        ),
    )
