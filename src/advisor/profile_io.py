"""Reading a profile file into a validated Profile, with errors a person can act on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from advisor.documents import Document, decode_text, load_document, parse_text
from advisor.errors import ProfileError, did_you_mean
from advisor.profile import SCHEMA_VERSION, Profile

if TYPE_CHECKING:
    from advisor.crypto import Keys, Opener

# The keys for encrypted profiles (set once per command by the CLI's global options, see
# cli/keys.py), so every command that reads a profile opens encrypted ones alike.
_keys: Keys | None = None


def set_keys(keys: Keys | None) -> None:
    """Install the keys ``load_profile`` uses for age-encrypted files (None: no keys)."""
    global _keys
    _keys = keys


def current_keys() -> Keys | None:
    return _keys


# How each encrypted input of the current command was opened (see advisor.sealing).
_opened: list[Opener] = []


def forget_opened() -> None:
    """Start a command: no encrypted input read yet."""
    _opened.clear()


def note_opened(opener: Opener) -> None:
    """Record an encrypted input opened elsewhere (by a worker process of ``screen --jobs``)."""
    if opener not in _opened:
        _opened.append(opener)


def opened_encrypted() -> tuple[Opener, ...]:
    """The encrypted inputs read since ``forget_opened``, in order."""
    return tuple(_opened)


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


MAX_PROBLEMS = 20
"""How many validation problems of one file are reported (each on its own line)."""


def _is_sensitive(loc: tuple[Any, ...]) -> bool:
    """Whether the field at ``loc`` carries the ``sensitive`` mark (its values are never echoed)."""
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return False
    parent = _model_for(tuple(names[:-1]))
    info = parent.model_fields.get(names[-1]) if parent is not None else None
    extra = info.json_schema_extra if info is not None else None
    return bool(isinstance(extra, dict) and extra.get("sensitive"))


def _problem(error: Any, doc: Document) -> ProfileError:
    """One pydantic error as a ProfileError naming its field (and line, and a suggestion)."""
    loc = tuple(p for p in error["loc"])
    field = ".".join(str(p) for p in loc) or None
    message = error["msg"]
    kind = error["type"]
    suggestion = None
    if kind == "extra_forbidden":
        parent = _model_for(loc[:-1])
        message = "unknown field"
        if parent is not None:
            suggestion = did_you_mean(str(loc[-1]), parent.model_fields)
    elif kind == "value_error":
        # Cross-field checks name their own fields: "funding: ..." -> field "funding".
        text = message.removeprefix("Value error, ")
        head, sep, rest = text.partition(": ")
        if sep and " " not in head:
            field, message = head, rest
        else:
            message = text
    elif kind == "missing" and loc == ("schema_version",):
        suggestion = f'add schema_version: "{SCHEMA_VERSION}" at the top'
    elif kind == "literal_error" and loc == ("schema_version",):
        suggestion = f'this version of advisor reads schema_version "{SCHEMA_VERSION}"'
    elif "input" in error and kind.endswith("_type") and not _is_sensitive(loc):
        message = f"{message} (got {_shown(error['input'])})"
    key_path = tuple(int(p) if p.isascii() and p.isdigit() else p for p in field.split(".")) if field else ()
    line = doc.line_of(key_path) if field else None
    return ProfileError(message, file=doc.path, field=field, line=line, suggestion=suggestion)


def _shown(value: Any) -> str:
    """A wrong value as echoed in an error: short, on one line."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _error_from(exc: ValidationError, doc: Document) -> ProfileError:
    """The first problem, carrying the others (up to MAX_PROBLEMS in all) in ``more``."""
    errors = exc.errors()
    problems = [_problem(e, doc) for e in errors[:MAX_PROBLEMS]]
    first, rest = problems[0], problems[1:]
    if len(errors) > MAX_PROBLEMS:
        rest.append(ProfileError(f"{len(errors) - MAX_PROBLEMS} more problems not shown", file=doc.path))
    first.more = tuple(rest)
    return first


def profile_from_document(doc: Document) -> Profile:
    if not isinstance(doc.data, dict):
        raise ProfileError(
            "a profile must be a mapping of sections (organisation:, funding:, …)",
            file=doc.path,
        )
    from advisor.saved import not_a_profile, saved_kind

    if (kind := saved_kind(doc.data)) is not None:
        raise not_a_profile(kind, doc.path)
    try:
        return Profile.model_validate(doc.data)
    except ValidationError as exc:
        raise _error_from(exc, doc) from None


def read_document(path: Path) -> Document:
    """Read and parse one YAML/JSON file, decrypting it first when it is an age file."""
    from advisor import crypto

    if not crypto.file_is_encrypted(path):
        return load_document(path)
    plain, opener = crypto.open_encrypted(path, _keys)
    _opened.append(opener)
    text = decode_text(plain, str(path))
    inner = path.name.removesuffix(".age").lower()
    return parse_text(text, str(path), fmt="json" if inner.endswith(".json") else "yaml")


def load_profile(path: Path) -> Profile:
    """Read, parse and validate one profile file (YAML or JSON, plain or age-encrypted)."""
    return profile_from_document(read_document(path))


def parse_profile(text: str, name: str = "<profile>", fmt: str | None = None) -> Profile:
    return profile_from_document(parse_text(text, name, fmt=fmt))


def profile_from_data(data: Any, name: str = "<profile>") -> Profile:
    return profile_from_document(Document(data=data, path=name))
