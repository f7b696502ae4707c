"""Hostile profile files: arbitrary documents and values give a Profile or an AdvisorError,
never another exception, never a hang; big, deep and aliased files fail fast."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.cli import cli
from advisor.documents import MAX_BYTES
from advisor.errors import AdvisorError
from advisor.facts import catalogue
from advisor.profile import Profile
from advisor.profile_io import parse_profile, profile_from_data

BOUNDED = settings(deadline=2000, suppress_health_check=[HealthCheck.too_slow])

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=30,
)
field_paths = st.sampled_from(sorted(catalogue()))


def _ok_or_advisor_error(call: Any) -> None:
    try:
        assert isinstance(call(), Profile)
    except AdvisorError:
        pass


@BOUNDED
@given(st.text(max_size=400), st.sampled_from([None, "json"]))
def test_arbitrary_text(text: str, fmt: str | None) -> None:
    _ok_or_advisor_error(lambda: parse_profile(text, "x", fmt=fmt))


@BOUNDED
@given(json_like)
def test_arbitrary_documents(data: Any) -> None:
    _ok_or_advisor_error(lambda: profile_from_data(data))
    _ok_or_advisor_error(lambda: parse_profile(json.dumps(data), "x.json"))


@BOUNDED
@given(st.dictionaries(field_paths, json_like, max_size=6))
def test_arbitrary_field_values(values: dict[str, Any]) -> None:
    data: dict[str, Any] = {"schema_version": "1.0"}
    for path, value in values.items():
        section, name = path.split(".")
        data.setdefault(section, {})[name] = value
    _ok_or_advisor_error(lambda: profile_from_data(data))
    try:
        import yaml

        text = yaml.safe_dump(data)
    except yaml.YAMLError:
        return
    _ok_or_advisor_error(lambda: parse_profile(text, "x.yaml"))


def _assess(path: Path) -> tuple[int, str, float]:
    start = time.monotonic()
    result = CliRunner().invoke(cli, ["share", str(path), "--for", "donor", "-o", str(path) + ".out"])
    return result.exit_code, result.output, time.monotonic() - start


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("huge.yaml", b"schema_version: '1.0'\n" + b"# padding\n" * (MAX_BYTES // 10 + 1), "too large"),
        ("wide.yaml", b"schema_version: '1.0'\nx: [" + b"1," * 1_000_000 + b"1]\n", "more than 100,000 values"),
        ("deep.yaml", b"a: " + b"[" * 100_000 + b"]" * 100_000, "not valid YAML"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        ("bomb.yaml", b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
         + b"".join(b"%c: &%c [" % (c, c) + b", ".join([b"*%c" % (c - 1)] * 10) + b"]\n"
                    for c in range(ord("b"), ord("k"))), "aliases"),
        ("random.bin", bytes(range(256)) * 4096, "binary"),
        ("cp1251.yaml", "schema_version: '1.0'\norganisation: {name: Центр}\n".encode("cp1251"), "UTF-8"),
    ],
)
def test_big_and_nasty_files_fail_fast(tmp_path: Path, name: str, content: bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, output, seconds = _assess(path)
    assert code == 2, output
    assert fragment in output and str(path) in output
    assert "Traceback" not in output and "internal error" not in output
    assert seconds < 30
