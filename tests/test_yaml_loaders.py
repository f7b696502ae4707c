"""documents.parse_text gives the same result with libyaml's C loader as with the pure-Python
loader: the same data, the same line of every key, the same error line, on every YAML file of
the repository and on many damaged copies of them (aliases, tabs, broken quotes, control
characters...)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor import documents
from advisor.errors import InputFileError

from .conftest import REPO

TEXTS = sorted(p for p in REPO.glob("**/*.yaml") if ".venv" not in p.parts and p.stat().st_size < 200_000)
SNIPPETS = ["&a ", "*a", "\t", '"', "'", "{", "}", "[", "]", ": ", "- ", "#", "|", ">", "? ", "---\n",
            "\x07", "!!python/object:os.system ", "<<: ", "~", "0o17", "1_000", "2001-12-14", "\\", "%YAML 1.1\n",
            "\u2028", "\ufeff", "\x85", ",", "\n  ", "!!binary ", "@", "`", "\r", "...\n", ":", "-", "!", "&",
            "*", "%", "|-\n", ">+\n", '"\\x"', "!<tag:yaml.org,2002:str> ", "\u00a0", "{a: 1, b}", "[a: 1]", "?",
            "\n- ", "\n? ", ": :", "- -", "0x1F", ".inf", "=", "!!set ", "!local "]


def outcome(text: str, *, c_loader: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    with monkeypatch.context() as patch:
        if not c_loader:
            patch.setattr(documents, "_CLoader", None)
        try:
            doc = documents.parse_text(text, "doc.yaml")
        except InputFileError as exc:
            return "error", str(exc)
    return "ok", (repr(doc.data), sorted(doc.lines.items(), key=repr))


def mutations(text: str, rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        at = rng.randrange(len(text) + 1)
        kind = rng.randrange(3)
        if kind == 0:
            out.append(text[:at] + rng.choice(SNIPPETS) + text[at:])
        elif kind == 1:
            out.append(text[:at] + text[at + rng.randrange(1, 12):])
        else:
            lines = text.splitlines(keepends=True)
            i = rng.randrange(len(lines)) if lines else 0
            out.append("".join(lines[:i] + lines[i:i + 1] * 2 + lines[i + 1:]))
    return out


def test_the_c_loader_is_used_where_present() -> None:
    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML without libyaml here: the pure-Python loader is used")
    assert documents._CLoader is yaml.CSafeLoader


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: str(p.relative_to(REPO)))
def test_same_result_on_every_repository_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_bytes().decode("utf-8", "replace")
    assert outcome(text, c_loader=True, monkeypatch=monkeypatch) == outcome(text, c_loader=False,
                                                                             monkeypatch=monkeypatch)


def test_same_result_on_damaged_files(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(20261202)
    sample = rng.sample(TEXTS, min(40, len(TEXTS)))
    differences = []
    for path in sample:
        text = path.read_bytes().decode("utf-8", "replace")
        for damaged in mutations(text, rng, 25):
            c, py = (outcome(damaged, c_loader=flag, monkeypatch=monkeypatch) for flag in (True, False))
            if c != py:
                differences.append((path.name, damaged[:200], c, py))
    assert differences == []


@pytest.mark.parametrize("text, expect", [
    ("a: &x 1\nb: *x\n", "line 2: YAML aliases"),
    ("a: 1\na: 2\n", "line 2: duplicate key 'a'"),
    ("a: [1, 2\n", "is not valid YAML"),
    ("a: \x07\n", "is not valid YAML"),
    ("x: [" + "1," * 100_001 + "1]\n", "more than 100,000 values"),
    ("{" + "a," * 60_000 + "b}\n", "more than 100,000 values"),
])
def test_errors_are_the_pure_loaders(text: str, expect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    c = outcome(text, c_loader=True, monkeypatch=monkeypatch)
    assert c == outcome(text, c_loader=False, monkeypatch=monkeypatch)
    assert c[0] == "error" and expect in c[1]
