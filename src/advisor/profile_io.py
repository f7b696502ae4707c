"""Reading a profile file into a validated Profile, with errors a person can act on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from advisor.documents import Document, decode_text, load_document, parse_text
from advisor.errors import ProfileError, did_you_mean
from advisor.i18n import _, ngettext
from advisor.profile import SCHEMA_VERSION, Profile
from advisor.validation_i18n import check_message, type_message

if TYPE_CHECKING:
    from advisor.crypto import Keys

# The keys for encrypted profiles (set once per command by the CLI's global options, see
# cli/keys.py), so every command that reads a profile opens encrypted ones alike.
_keys: Keys | None = None


def set_keys(keys: Keys | None) -> None:
    """Install the keys ``load_profile`` uses for age-encrypted files (None: no keys)."""
    global _keys
    _keys = keys


def current_keys() -> Keys | None:
    return _keys


def _model_for(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Profile
    for part in loc:
        if model is None or not isinstance(part, str):
            return None
        info = model.model_fields.get(part)
        if info is None:
            return None
        annotation = info.annotation
        model = None
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                model = candidate
                break
    return model


def _error_from(exc: ValidationError, doc: Document) -> ProfileError:
    first = exc.errors()[0]
    loc = tuple(p for p in first["loc"])
    field = ".".join(str(p) for p in loc) or None
    message = type_message(first)
    kind = first["type"]
    suggestion = None
    if kind == "extra_forbidden":
        parent = _model_for(loc[:-1])
        message = _("unknown field")
        if parent is not None:
            suggestion = did_you_mean(str(loc[-1]), parent.model_fields)
    elif kind == "value_error":
        # Cross-field checks name their own fields: "funding: ..." -> field "funding".
        text = first["msg"].removeprefix("Value error, ")
        head, sep, rest = text.partition(": ")
        if sep and " " not in head:
            field, message = head, check_message(rest)
        else:
            message = check_message(text)
    elif kind == "missing" and loc == ("schema_version",):
        suggestion = _('add schema_version: "{version}" at the top').format(version=SCHEMA_VERSION)
    elif kind == "literal_error" and loc == ("schema_version",):
        suggestion = _('this version of advisor reads schema_version "{version}"').format(
            version=SCHEMA_VERSION)
    elif "input" in first and kind.endswith("_type"):
        message = _("{message} (got {value})").format(message=message, value=repr(first["input"]))
    extra = len(exc.errors()) - 1
    if extra:
        message += " " + ngettext("(and {n} more problem)", "(and {n} more problems)", extra).format(n=extra)
    key_path = tuple(int(p) if p.isdigit() else p for p in field.split(".")) if field else ()
    line = doc.line_of(key_path) if field else None
    return ProfileError(message, file=doc.path, field=field, line=line, suggestion=suggestion)


def profile_from_document(doc: Document) -> Profile:
    if not isinstance(doc.data, dict):
        raise ProfileError(
            _("a profile must be a mapping of sections (organisation:, funding:, …)"),
            file=doc.path,
        )
    try:
        return Profile.model_validate(doc.data)
    except ValidationError as exc:
        raise _error_from(exc, doc) from None


def read_document(path: Path) -> Document:
    """Read and parse one YAML/JSON file, decrypting it first when it is an age file."""
    from advisor import crypto

    if not crypto.file_is_encrypted(path):
        return load_document(path)
    text = decode_text(crypto.read_encrypted(path, _keys), str(path))
    inner = path.name.removesuffix(".age").lower()
    return parse_text(text, str(path), fmt="json" if inner.endswith(".json") else "yaml")


def load_profile(path: Path) -> Profile:
    """Read, parse and validate one profile file (YAML or JSON, plain or age-encrypted)."""
    return profile_from_document(read_document(path))


def parse_profile(text: str, name: str = "<profile>", fmt: str | None = None) -> Profile:
    return profile_from_document(parse_text(text, name, fmt=fmt))


def profile_from_data(data: Any, name: str = "<profile>") -> Profile:
    return profile_from_document(Document(data=data, path=name))
