"""Choosing what an assessment reports: ``--select`` / ``--ignore`` (IDs or prefixes) and audience.

The whole rule base is always evaluated (so chained findings keep their meaning); the
selection only decides what is reported, and what counts for ``--fail-on``.
"""

from __future__ import annotations

from collections.abc import Iterable

from advisor.assessment import Assessment
from advisor.errors import UsageError, did_you_mean
from advisor.rules.loader import RuleBase
from advisor.i18n import _


def parse_ids(values: Iterable[str]) -> tuple[str, ...]:
    """Split comma-separated option values into upper-case IDs or prefixes."""
    return tuple(part.strip().upper() for value in values for part in value.split(",") if part.strip())


def check_ids(codes: Iterable[str], rulebase: RuleBase, option: str) -> None:
    ids = [r.id for r in rulebase.rules]
    for code in codes:
        if not any(rid.startswith(code) for rid in ids):
            known = sorted({rid[:3] for rid in ids} | set(ids))
            raise UsageError(
                _("{option} {code}: no rule has this ID or prefix").format(option=option, code=code),
                suggestion=did_you_mean(code, known) or _("see 'advisor rules list'"),
            )


def _chosen(rule_id: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    if select and not any(rule_id.startswith(code) for code in select):
        return False
    return not any(rule_id.startswith(code) for code in ignore)


def select_results(
    assessment: Assessment,
    *,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    audience: str = "all",
) -> Assessment:
    findings = tuple(f for f in assessment.findings if _chosen(f.id, select, ignore))
    recommendations = tuple(
        r
        for r in assessment.recommendations
        if _chosen(r.id, select, ignore) and audience in ("all", r.audience)
    )
    kept = {f.id for f in findings} | {r.id for r in recommendations}
    trace = tuple(t for t in assessment.trace if t.rule in kept)
    return assessment.model_copy(
        update={"findings": findings, "recommendations": recommendations, "trace": trace}
    )
