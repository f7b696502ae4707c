"""Stable JSON: keys in model order, sorted lists, two-space indent, UTF-8, final newline."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from advisor.merge import MergeResult
    from advisor.reporters.context import RenderContext


def to_json(value: BaseModel | dict[str, Any] | list[Any]) -> str:
    data = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def view_json(view: BaseModel, ctx: RenderContext) -> str:
    """A view's JSON: the same in every language (texts are data, labels are not added)."""
    return to_json(view)


def merge_json(result: MergeResult, ctx: RenderContext) -> str:
    return to_json(result.as_data())
