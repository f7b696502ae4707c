"""Answer changes to a profile, in memory: parsing ``field=value`` by the field's type and
applying changes to a Profile (validated again, cross-field checks included). Pure: nothing
is written. Used by ``advisor whatif`` and by the path search (advisor.pathsearch).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from advisor.documents import Document
from advisor.errors import ProfileError, UsageError, did_you_mean
from advisor.facts import NUMBER_DECIMALS, FieldSpec, catalogue
from advisor.profile import Profile

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})
UNANSWERED_WORDS = frozenset({"", "unanswered", "null", "none"})


def field_spec(path: str, specs: Mapping[str, FieldSpec] | None = None) -> FieldSpec:
    """The catalogue entry for ``path``; an unknown field is a UsageError with a "did you mean"."""
    specs = catalogue() if specs is None else specs
    spec = specs.get(path)
    if spec is None:
        raise UsageError("unknown profile field", field=path,
                         suggestion=did_you_mean(path, specs) or "fields are section.name, see 'advisor schema profile'")
    return spec


def parse_value(spec: FieldSpec, text: str) -> Any:
    """``text`` read as a value of the field (None: make the question unanswered)."""
    raw = text.strip()
    if raw.lower() in UNANSWERED_WORDS:
        return None
    kind = spec.kind

    def bad(expected: str) -> UsageError:
        return UsageError(f"'{raw}' is not {expected}", field=spec.path)

    if kind == "bool":
        if raw.lower() in TRUE_WORDS:
            return True
        if raw.lower() in FALSE_WORDS:
            return False
        raise bad("yes or no")
    if kind in ("int", "rating"):
        try:
            value: Any = int(raw)
        except ValueError:
            raise bad("a whole number") from None
        return {"level": value} if kind == "rating" else value
    if kind == "number":
        try:
            number = float(raw.rstrip("%").strip())
        except ValueError:
            raise bad("a number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise bad("a finite number")
        return round(number, NUMBER_DECIMALS) + 0.0
    if kind == "choice":
        if raw not in spec.choices:
            raise UsageError(f"'{raw}' is not one of its choices ({', '.join(map(str, spec.choices))})",
                             field=spec.path, suggestion=did_you_mean(raw, [str(c) for c in spec.choices]))
        return raw
    if kind == "choices":
        items = [item.strip() for item in raw.split(",") if item.strip()]
        for item in items:
            if item not in spec.choices:
                raise UsageError(f"'{item}' is not one of its choices ({', '.join(map(str, spec.choices))})",
                                 field=spec.path, suggestion=did_you_mean(item, [str(c) for c in spec.choices]))
        return [c for c in spec.choices if c in items]  # the model's order, no duplicates
    if spec.path.endswith("donor_names"):
        return [item.strip() for item in raw.split(",") if item.strip()]
    return raw


def parse_assignment(text: str, specs: Mapping[str, FieldSpec] | None = None) -> tuple[str, Any]:
    """``section.field=value`` → (path, value); errors name the field."""
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not path:
        raise UsageError(f"'{text}': expected section.field=value", suggestion="e.g. --set funding.reserves_months=3")
    spec = field_spec(path, specs)
    return path, parse_value(spec, raw)


def current_value(profile: Profile, path: str) -> Any:
    """The answer as the profile holds it (lists and ratings in their plain form)."""
    section, name = path.split(".")
    value = getattr(getattr(profile, section), name)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="python")
    return list(value) if isinstance(value, (list, tuple)) else value


def apply_changes(profile: Profile, changes: Iterable[tuple[str, Any]], *, label: str = "<changes>") -> Profile:
    """A new Profile with ``changes`` (path, value) applied and validated as a whole.

    An invalid result (a value out of range, income shares over 100 %) is a ProfileError
    naming the field; the original profile is never modified."""
    data = profile.model_dump(mode="python", exclude_none=True)
    for path, value in changes:
        section, name = path.split(".")
        part = data.setdefault(section, {})
        if value is None:
            part.pop(name, None)
        else:
            part[name] = value
    from advisor.profile_io import profile_from_document

    try:
        return profile_from_document(Document(data=data, path=label))
    except ProfileError as exc:
        exc.file = None if label == "<changes>" else exc.file
        raise


__all__ = ["apply_changes", "current_value", "field_spec", "parse_assignment", "parse_value"]
