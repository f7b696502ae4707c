"""The committed JSON Schemas (schemas/) are the generated ones, and they accept what advisor accepts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from advisor.cli import cli
from advisor.schemas import profile_schema, rule_schema

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "schemas"
REGENERATE = (
    "the {which} model changed: if the change is deliberate, regenerate the committed schema with\n"
    "    advisor schema {which} > schemas/{which}.schema.json\n"
    "(and bump SCHEMA_VERSION in profile.py if existing profiles stop validating)"
)


def committed(which: str) -> dict:
    return json.loads((SCHEMAS / f"{which}.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("which, generate", [("profile", profile_schema), ("rule", rule_schema)])
def test_committed_schema_is_the_generated_one(which, generate):
    assert committed(which) == generate(), REGENERATE.format(which=which)


@pytest.mark.parametrize("which", ["profile", "rule"])
def test_cli_prints_the_committed_schema(which):
    result = CliRunner().invoke(cli, ["schema", which])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema == committed(which)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith(f"urn:advisor:{which}:")
    jsonschema.Draft202012Validator.check_schema(schema)


def test_profile_schema_says_cross_field_checks_are_not_in_it():
    description = committed("profile")["description"]
    assert "cross-field" in description and "not expressible in JSON Schema" in description


PROFILE_FILES = sorted((REPO / "profiles").glob("*.yaml"))


@pytest.mark.parametrize("path", PROFILE_FILES, ids=lambda p: p.name)
def test_every_profile_validates_against_the_committed_schema(path):
    validator = jsonschema.Draft202012Validator(committed("profile"))
    errors = sorted(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))), key=str)
    assert not errors, f"{path.name}: {errors[0].json_path}: {errors[0].message}"


def test_there_are_profiles_to_check():
    assert PROFILE_FILES


@pytest.mark.parametrize(
    "bad, where",
    [
        ({"schema_version": "1.0", "organisation": {"nmae": "x"}}, "unknown field"),
        ({"schema_version": "1.0", "funding": {"reserves_months": "three"}}, "wrong type"),
        ({"schema_version": "1.0", "organisation": {"paid_staff": 2.5}}, "float for an integer"),
        ({"schema_version": "1.0", "funding": {"share_state_pct": 140}}, "above the bound"),
        ({"schema_version": "1.0", "organisation": {"areas_served": ["suburban"]}}, "unknown choice"),
        ({"schema_version": "1.0", "ratings": {"strategy": {"level": 5}}}, "rating out of scale"),
        ({"organisation": {}}, "schema_version missing"),
        ({"schema_version": "1.0", "extra_section": {}}, "unknown section"),
    ],
)
def test_profile_schema_rejects_bad_profiles(bad, where):
    validator = jsonschema.Draft202012Validator(committed("profile"))
    assert list(validator.iter_errors(bad)), where


RULE_FILES = sorted(
    p for p in (REPO / "rules").rglob("*.yaml")
    if not p.name.endswith(".cases.yaml") and p.parent.name not in ("modules", "coverage") and p.name != "registry.yaml"
)


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: str(p.relative_to(REPO / "rules")))
def test_every_rule_file_validates_against_the_committed_rule_schema(path):
    validator = jsonschema.Draft202012Validator(committed("rule"))
    errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
    assert not errors, f"{errors[0].json_path}: {errors[0].message}"


def test_rule_schema_rejects_an_unknown_key():
    validator = jsonschema.Draft202012Validator(committed("rule"))
    rule = yaml.safe_load(RULE_FILES[0].read_text(encoding="utf-8"))
    assert not list(validator.iter_errors(rule))
    assert list(validator.iter_errors({**rule, "severty": "high"}))
