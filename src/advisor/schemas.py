"""JSON Schemas generated from the pydantic models (the single source of truth)."""

from __future__ import annotations

from typing import Any

from advisor import __version__
from advisor.profile import SCHEMA_VERSION, Profile
from advisor.rules.model import Rule

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def profile_schema() -> dict[str, Any]:
    schema = Profile.model_json_schema()
    return {"$schema": DIALECT, "$id": f"urn:advisor:profile:{SCHEMA_VERSION}", **schema}


def rule_schema() -> dict[str, Any]:
    schema = Rule.model_json_schema(by_alias=True)
    return {"$schema": DIALECT, "$id": f"urn:advisor:rule:{__version__}", **schema}
