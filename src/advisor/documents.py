"""Reading YAML and JSON documents safely, remembering where each key stood.

Profiles and rule files are data: loaded with a safe loader, aliases refused (no alias
bombs), duplicate keys refused, size and nesting bounded, text required to be UTF-8. Every
failure is an ``InputFileError`` naming the file (and line where known).
"""

from __future__ import annotations

import json
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advisor.errors import InputFileError

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32
# Composing YAML is pure Python (~50 µs a node): a cap on nodes bounds the time a hostile
# file can take (a profile has a few hundred nodes, a rule file a few thousand).
MAX_NODES = 100_000

KeyPath = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed document and the line (1-based) of each key path where known."""

    data: Any
    path: str
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, key_path: KeyPath) -> int | None:
        """The line of the longest known prefix of ``key_path``."""
        for end in range(len(key_path), -1, -1):
            line = self.lines.get(tuple(key_path[:end]))
            if line is not None:
                return line
        return None


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses aliases and duplicate keys."""

    nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.YAMLError(f"line {mark.line + 1}: more than {MAX_NODES:,} values in one document")
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.YAMLError(
                f"line {event.start_mark.line + 1}: YAML aliases (*name) are not allowed in advisor files"
            )
        return super().compose_node(parent, index)


# libyaml's composer (the C loader) where PyYAML was built with it: about ten times faster than
# composing in Python. Its result is only used where it cannot differ from the pure-Python
# loader's: a text small enough that its node count stays near MAX_NODES (every node takes at
# least a byte), only printable characters, no alias, within the limits. Anything else (an
# error included) is parsed again by ``_Loader``, whose result or error is the one reported.
_CLoader: Any = getattr(yaml, "CSafeLoader", None)
_C_MAX_CHARS = MAX_NODES
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
# Where libyaml is more lenient than PyYAML (found by comparing both on damaged files, see
# tests/test_yaml_loaders.py): tabs, "?" (the explicit-key indicator) and a byte-order mark
# inside the text. Such texts are parsed by the pure-Python loader only.
_LENIENT_IN_C = re.compile("[\t?\ufeff]")


class _Fallback(Exception):
    """The C loader's result cannot be used: parse with the pure-Python loader."""


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree, from the C loader where it gives the same result, else ``_Loader``."""
    if (_CLoader is not None and len(text) <= _C_MAX_CHARS and not _LENIENT_IN_C.search(text)
            and not _NON_PRINTABLE.search(text)):
        try:
            loader = _CLoader(text)
            try:
                node = loader.get_single_node()
            finally:
                loader.dispose()
            if node is not None:
                _check_tree(node)
            return node
        except Exception:  # noqa: BLE001 - any surprise: the pure-Python loader decides
            pass
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _check_tree(root: yaml.Node) -> None:
    """What ``_Loader`` checks while composing: no alias (a node met twice), at most MAX_NODES."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise _Fallback("alias")
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise _Fallback("too many nodes")
        if isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


def _walk(node: yaml.Node, key_path: KeyPath, lines: dict[KeyPath, int], depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise yaml.YAMLError(f"line {node.start_mark.line + 1}: nested deeper than {MAX_DEPTH} levels")
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, key_path)
            if not isinstance(key, (str, int, bool, float)) or isinstance(key, bool):
                raise yaml.YAMLError(f"line {key_node.start_mark.line + 1}: keys must be plain names")
            key = str(key)
            if key in result:
                raise yaml.YAMLError(f"line {key_node.start_mark.line + 1}: duplicate key '{key}'")
            child = (*key_path, key)
            lines[child] = key_node.start_mark.line + 1
            result[key] = _walk(value_node, child, lines, depth + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = (*key_path, index)
            lines[child] = item.start_mark.line + 1
            items.append(_walk(item, child, lines, depth + 1))
        return items
    return _scalar(node, key_path)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()

# Plain numbers that YAML 1.1 (PyYAML) reads differently from YAML 1.2 and JSON: a leading
# zero is octal (010 is 8), colons are base 60 (1:30 is 90), underscores are dropped, 0b is
# binary. A person writing them means something else, so they are refused, not guessed.
_YAML11_NUMBER = re.compile(r"[-+]?(0[0-9_]+|0b[01_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[0-9.]*_[0-9_.]*)")


class _TextError(yaml.YAMLError):
    """A scalar that parses, but not as the person meant (its line and key path known)."""

    def __init__(self, message: str, line: int, key_path: KeyPath, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.key_path = key_path
        self.suggestion = suggestion


def _has_lone_surrogate(text: str) -> bool:
    return not text.isascii() and any("\ud800" <= ch <= "\udfff" for ch in text)


def _scalar(node: yaml.Node, key_path: KeyPath = ()) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise yaml.YAMLError(f"line {node.start_mark.line + 1}: a key must be a plain value")
    line = node.start_mark.line + 1
    if not node.style and node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") \
            and _YAML11_NUMBER.fullmatch(node.value):
        raise _TextError(f"the number {node.value} is read differently by YAML 1.1 and YAML 1.2",
                         line, key_path, "write it without leading zeros, colons or underscores, "
                         "or quote it to keep it as text")
    value = _CONSTRUCTOR.construct_object(node)
    _CONSTRUCTOR.constructed_objects.clear()
    if isinstance(value, str) and _has_lone_surrogate(value):
        raise _TextError("holds a lone surrogate escape (such as \\uD800), which is not a character",
                         line, key_path)
    return value


def _read_text(path: Path) -> str:
    try:
        if not path.exists():
            raise InputFileError("file not found", file=str(path))
        if path.is_dir():
            raise InputFileError("is a directory, not a file", file=str(path))
        raw = read_regular_file(path, MAX_BYTES)
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror or exc}", file=str(path)) from exc
    return decode_text(raw, str(path))


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Devices, pipes and sockets are refused before they are opened (a FIFO blocks the open
    itself, /dev/zero never ends), and at most ``limit + 1`` bytes are ever read, whatever
    the size the file system reports. OSError is left to the caller.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise InputFileError("is not a regular file (a device, pipe or socket)", file=str(path))
    if info.st_size > limit:
        raise InputFileError(f"file is too large ({info.st_size:,} bytes; the limit is {limit:,})", file=str(path))
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise InputFileError(f"file is too large (the limit is {limit:,} bytes)", file=str(path))
    return raw


def decode_text(raw: bytes, name: str) -> str:
    """Bytes to text, refusing binary data and encodings other than UTF-8."""
    if b"\x00" in raw[:8192]:
        raise InputFileError("looks like a binary file, not YAML or JSON text", file=name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"is not UTF-8 text (bad byte at offset {exc.start})",
            file=name,
            suggestion="save the file as UTF-8",
        ) from exc


def parse_text(text: str, name: str, *, fmt: str | None = None) -> Document:
    """Parse YAML or JSON text (JSON when ``fmt == 'json'`` or the name ends in .json)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputFileError(f"document is too large (the limit is {MAX_BYTES:,} bytes)", file=name)
    if fmt == "json" or (fmt is None and name.lower().endswith(".json")):
        return _parse_json(text, name)
    try:
        node = _compose(text)
        lines: dict[KeyPath, int] = {}
        data = None if node is None else _walk(node, (), lines, 0)
    except _TextError as exc:
        field_name = ".".join(str(p) for p in exc.key_path) or None
        raise InputFileError(exc.message, file=name, line=exc.line, field=field_name,
                             suggestion=exc.suggestion) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputFileError(
            f"is not valid YAML: {exc.problem or exc}", file=name, line=line
        ) from exc
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        raise InputFileError(f"is not valid YAML: {exc}", file=name) from exc
    return Document(data=data, path=name, lines=lines)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key '{key}'")
        result[key] = value
    return result


def _depth(value: Any, depth: int = 0) -> int:
    if depth > MAX_DEPTH:
        return depth
    if isinstance(value, dict):
        return max((_depth(v, depth + 1) for v in value.values()), default=depth)
    if isinstance(value, list):
        return max((_depth(v, depth + 1) for v in value), default=depth)
    return depth


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _has_surrogate_value(value: Any) -> bool:
    if isinstance(value, str):
        return _has_lone_surrogate(value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_surrogate_value(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate_value(v) for v in value)
    return False


def _parse_json(text: str, name: str) -> Document:
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"is not valid JSON: {exc.msg}", file=name, line=exc.lineno) from exc
    except (ValueError, RecursionError) as exc:
        raise InputFileError(f"is not valid JSON: {exc}", file=name) from exc
    if _SURROGATE_ESCAPE.search(text) and _has_surrogate_value(data):
        raise InputFileError("holds a lone surrogate escape (such as \\uD800), which is not a character",
                             file=name)
    # Every level of nesting opens a bracket, so a text with few brackets needs no walk.
    if text.count("{") + text.count("[") > MAX_DEPTH and _depth(data) > MAX_DEPTH:
        raise InputFileError(f"is nested deeper than {MAX_DEPTH} levels", file=name)
    return Document(data=data, path=name)


def load_document(path: Path) -> Document:
    """Read and parse one YAML or JSON file."""
    return parse_text(_read_text(path), str(path))
