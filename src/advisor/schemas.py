"""JSON Schemas generated from the pydantic models (the single source of truth)."""

from __future__ import annotations

from typing import Any

from advisor import __version__
from advisor.profile import SCHEMA_VERSION, Profile
from advisor.rules.model import Rule

DIALECT = "https://json-schema.org/draft/2020-12/schema"
PROFILE_CHECKS_NOTE = (
    "This schema checks fields, types, choices and bounds only. The Profile's cross-field checks "
    "(income shares adding up to at most 100 %, largest funder's share within the total and 0 when "
    "there are no funders, foreign-funding reports answered only when reporting is an obligation, "
    "key staff who left at most twice the paid staff) are not expressible in JSON Schema: "
    "advisor applies them when it loads a profile."
)


def profile_schema() -> dict[str, Any]:
    schema = Profile.model_json_schema()
    schema["description"] = f"{schema.get('description', '').strip()} {PROFILE_CHECKS_NOTE}".strip()
    return {"$schema": DIALECT, "$id": f"urn:advisor:profile:{SCHEMA_VERSION}", **schema}


def rule_schema() -> dict[str, Any]:
    schema = Rule.model_json_schema(by_alias=True)
    return {"$schema": DIALECT, "$id": f"urn:advisor:rule:{__version__}", **schema}
