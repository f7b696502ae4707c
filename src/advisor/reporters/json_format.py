"""Stable JSON: keys in model order, sorted lists, two-space indent, UTF-8, final newline."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel


def to_json(value: BaseModel | dict[str, Any] | list[Any]) -> str:
    data = value.model_dump(mode="json") if isinstance(value, BaseModel) else value
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
