"""What a profile says, as flat facts the engines match on, and the catalogue of its fields.

The catalogue is read off the Profile model (one source of truth): rule conditions are
checked against it at load time, and a profile becomes one flat ``dict`` of normalised
values keyed by field path. An unanswered field is simply absent from the facts, so every
comparison on it is false in both engines; "answered" and "unanswered" test presence.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, Literal, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from advisor.profile import AreaRating, Profile

FieldKind = Literal["bool", "int", "number", "choice", "choices", "string", "text", "rating"]

Scalar = bool | int | float | str
Facts = dict[str, Scalar]

# Numbers are compared at this many decimal places. It keeps every fact value printable
# without an exponent, which durable-rules' JSON parser cannot read (1e-05, 1e+16 fail).
NUMBER_DECIMALS = 4


@dataclass(frozen=True)
class FieldSpec:
    """One answerable profile field, as rules and interviews see it."""

    path: str  # "funding.typical_grant_months"
    kind: FieldKind
    question: str
    sensitive: bool
    choices: tuple[str | int, ...] = ()
    ge: float | None = None
    le: float | None = None
    unit: str | None = None
    actionable: bool = False  # the organisation can change this answer by its own work
    effort_weeks: int | None = None  # a rough effort for that change

    @property
    def section(self) -> str:
        return self.path.split(".", 1)[0]

    @cached_property
    def key(self) -> str:
        """The fact key: dots are path separators in durable-rules, so they become '__'."""
        return fact_key(self.path)

    @cached_property
    def choice_keys(self) -> tuple[tuple[str | int, str], ...]:
        """For a list of choices: each choice with its own fact key."""
        return tuple((choice, fact_key(self.path, choice)) for choice in self.choices)

    @cached_property
    def attribute(self) -> tuple[str, str]:
        """Where the answer sits on a Profile: (section, field name)."""
        section, name = self.path.split(".")
        return section, name

    @property
    def usable_in_conditions(self) -> bool:
        return self.kind != "text"


def fact_key(path: str, choice: str | int | None = None) -> str:
    key = path.replace(".", "__")
    return key if choice is None else f"{key}__{choice}"


def _strip_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _bounds(info: FieldInfo) -> tuple[float | None, float | None]:
    ge = le = None
    for meta in info.metadata:
        ge = getattr(meta, "ge", ge)
        le = getattr(meta, "le", le)
    return ge, le


def _spec(path: str, info: FieldInfo) -> FieldSpec:
    annotation = _strip_optional(info.annotation)
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    sensitive = bool(extra.get("sensitive", False))
    unit = extra.get("unit")
    question = info.description or path
    ge, le = _bounds(info)
    effort = extra.get("effort_weeks")
    common: dict[str, Any] = {
        "path": path,
        "question": question,
        "sensitive": sensitive,
        "unit": unit if isinstance(unit, str) else None,
        "actionable": bool(extra.get("actionable", False)),
        "effort_weeks": effort if isinstance(effort, int) else None,
    }
    if annotation is bool:
        return FieldSpec(kind="bool", **common)
    if annotation is int:
        return FieldSpec(kind="int", ge=ge, le=le, **common)
    if annotation is float:
        return FieldSpec(kind="number", ge=ge, le=le, **common)
    if annotation is AreaRating:
        return FieldSpec(kind="rating", choices=(1, 2, 3, 4), ge=1, le=4, **common)
    if typing.get_origin(annotation) is Literal:
        return FieldSpec(kind="choice", choices=typing.get_args(annotation), **common)
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if typing.get_origin(item) is Literal:
            return FieldSpec(kind="choices", choices=typing.get_args(item), **common)
        return FieldSpec(kind="text", **common)
    if annotation is str:
        has_pattern = any(getattr(m, "pattern", None) for m in info.metadata)
        return FieldSpec(kind="string" if has_pattern else "text", **common)
    raise TypeError(f"profile field {path} has a type the fact catalogue does not know")


@cache
def catalogue() -> dict[str, FieldSpec]:
    """Every answerable field of the Profile, by dotted path, in model order."""
    specs: dict[str, FieldSpec] = {}
    for section, info in Profile.model_fields.items():
        if section == "schema_version":
            continue
        model = _strip_optional(info.annotation)
        assert isinstance(model, type) and issubclass(model, BaseModel)
        for name, field_info in model.model_fields.items():
            path = f"{section}.{name}"
            specs[path] = _spec(path, field_info)
    return specs


@cache
def _condition_specs() -> tuple[FieldSpec, ...]:
    return tuple(spec for spec in catalogue().values() if spec.usable_in_conditions)


def profile_facts(profile: Profile) -> Facts:
    """The profile as one flat dict of normalised scalars; unanswered fields are absent.

    A list of choices becomes one boolean per choice plus its item count under the
    field's own key (which is how "answered" is tested); a self-rating becomes its level.
    """
    facts: Facts = {}
    for spec in _condition_specs():
        section, name = spec.attribute
        value = getattr(getattr(profile, section), name)
        if value is None:
            continue
        if spec.kind == "choices":
            chosen = set(value)
            facts[spec.key] = len(chosen)
            for choice, key in spec.choice_keys:
                facts[key] = choice in chosen
        elif spec.kind == "rating":
            facts[spec.key] = int(value.level)
        elif spec.kind == "number":
            facts[spec.key] = round(float(value), NUMBER_DECIMALS) + 0.0
        else:
            facts[spec.key] = value
    return facts
