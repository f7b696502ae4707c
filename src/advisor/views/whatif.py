"""What if some answers were different: the comparison ``advisor compare`` makes, between a
profile and the same profile with some answers changed in memory. Pure; nothing is written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from advisor.edits import apply_changes
from advisor.engine import EngineChoice, assess
from advisor.profile import Profile
from advisor.rules.loader import RuleBase
from advisor.views.compare import Comparison, compare
from advisor.views.screening import screen


def whatif(profile: Profile, changes: Sequence[tuple[str, Any]], rulebase: RuleBase, *,
           engine: EngineChoice = "auto", label: str = "profile") -> Comparison:
    """``profile`` compared with ``profile`` after ``changes`` (path, value; None = unanswered)."""
    changed = apply_changes(profile, changes)
    old, new = assess(profile, rulebase, engine), assess(changed, rulebase, engine)
    return compare(old, new, screen(old, profile), screen(new, changed), old_label=label,
                   new_label=f"{label} with " + ", ".join(f"{p}={_show(v)}" for p, v in changes),
                   current_ids=frozenset(r.id for r in rulebase.rules))


def _show(value: Any) -> str:
    from advisor.reporters.values import display_value

    if isinstance(value, dict) and "level" in value:
        return str(value["level"])
    return display_value(value)
