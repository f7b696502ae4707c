"""The rule base's own listing (``rules list``): JSON and plain lines."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from advisor.reporters.json_format import to_json
from advisor.reporters.present import plain

if TYPE_CHECKING:
    from advisor.reporters.context import RenderContext
    from advisor.views.rule_list import RuleList


def rule_list_json(view: RuleList, ctx: RenderContext) -> str:
    return to_json({"version": view.version, "hash": view.hash, "rules": [asdict(r) for r in view.rules]})


def rule_list_lines(view: RuleList, ctx: RenderContext) -> str:
    lines = []
    for r in view.rules:
        kind = r.kind if r.kind != "recommendation" else f"rec/{r.audience}"
        lines.append(plain(f"{r.id}  {kind:<16} {r.area:<26} {r.severity:<8} {r.title}") + "\n")
    return "".join(lines)
