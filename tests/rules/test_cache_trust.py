"""The rule-base cache runs no code and is never trusted on its own word: a planted or damaged
entry changes nothing; the key is checked before use (from file stats, contents hashed only when
the stats changed); the digest reported is that of what was evaluated."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pickle
import re
from pathlib import Path

import pytest

from advisor.rules import cache, loader
from advisor.rules.loader import load_rulebase

from ..conftest import REPO
from .test_cache import count_builds, entries, small_base
from .test_loader import GAP


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("ADVISOR_NO_CACHE", raising=False)
    return home / "advisor"


class _Boom:
    """Unpickling this writes a marker file: proof that a pickle was loaded (code ran)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (self.marker, "code ran"))  # type: ignore[return-value]


def _entry_parts(entry: Path) -> tuple[str, str, str, str, str]:
    header, evaluated, rest, end, _ = entry.read_bytes()[len(cache.MAGIC):].decode().split("\n")
    key, sig, mac = header.split(" ")
    assert end == "end"
    return key, sig, mac, evaluated, rest


def _forge(entry: Path, secret: bytes, key: str, sig: str, evaluated: str, rest: str) -> None:
    mac = hmac.new(secret, b"\n".join((key.encode(), sig.encode(), evaluated.encode(), rest.encode())),
                   hashlib.sha256).hexdigest()
    entry.write_text(f"{cache.MAGIC.decode()}{key} {sig} {mac}\n{evaluated}\n{rest}\nend\n")


def _altered(evaluated: str) -> str:
    data = json.loads(evaluated)
    (rule,) = [r for r in data["rules"] if r["id"] == "FIN001"]
    rule["severity"] = "critical" if rule["severity"] != "critical" else "low"
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("plant", ["pickle-old-name", "pickle-new-name", "pickle-with-our-header",
                                   "altered-rules-old-mac", "altered-rules-no-secret", "wrong-secret"])
def test_a_planted_cache_file_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              private_cache: Path, plant: str) -> None:
    root = small_base(tmp_path)
    fresh = load_rulebase(root)
    (entry,) = entries(private_cache)
    key, sig, mac, evaluated, rest = _entry_parts(entry)
    marker = tmp_path / "marker"
    evil = pickle.dumps(("key", _Boom(marker)))
    if plant == "pickle-old-name":  # where format 1 kept it (and no entry of ours)
        entry.with_suffix(".pickle").write_bytes(b"advisor-rulebase-cache\n" + hashlib.sha256(evil).digest() + evil)
        entry.unlink()
    elif plant == "pickle-new-name":
        entry.write_bytes(evil)
    elif plant == "pickle-with-our-header":
        entry.write_bytes(cache.MAGIC + f"{key} {sig} {mac}\n".encode() + evil + b"\n{}\nend\n")
    elif plant == "altered-rules-old-mac":
        entry.write_text(f"{cache.MAGIC.decode()}{key} {sig} {mac}\n{_altered(evaluated)}\n{rest}\nend\n")
    elif plant == "altered-rules-no-secret":
        (private_cache / cache.SECRET_NAME).unlink()
        _forge(entry, b"guessed", key, sig, _altered(evaluated), rest)
    else:
        _forge(entry, os.urandom(32), key, sig, _altered(evaluated), rest)
    built = count_builds(monkeypatch)
    again = load_rulebase(root)
    assert not marker.exists(), "the cache ran code"
    assert built == [root], "the planted entry was used"
    assert again == fresh and again.digest == fresh.digest
    assert again.by_id["FIN001"].rule.severity == fresh.by_id["FIN001"].rule.severity
    assert not list(private_cache.glob("*.pickle")), "old pickle entries are removed, never read"


def test_the_key_is_checked_before_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       private_cache: Path) -> None:
    """An intact entry (right secret) made for other contents is not used."""
    root = small_base(tmp_path)
    fresh = load_rulebase(root)
    (entry,) = entries(private_cache)
    _, _, _, evaluated, rest = _entry_parts(entry)
    secret = bytes.fromhex((private_cache / cache.SECRET_NAME).read_text())
    _forge(entry, secret, "0" * 64, "-", _altered(evaluated), rest)
    built = count_builds(monkeypatch)
    assert load_rulebase(root) == fresh and built == [root]


def test_the_digest_reported_is_of_what_was_evaluated(tmp_path: Path, private_cache: Path) -> None:
    """Even an entry forged with the secret (by something that read it) cannot change advice
    under the original rule-base hash: the digest is taken of the text the rules were built from."""
    root = small_base(tmp_path)
    fresh = load_rulebase(root)
    (entry,) = entries(private_cache)
    key, sig, _, evaluated, rest = _entry_parts(entry)
    assert hashlib.sha256(evaluated.encode()).hexdigest() == fresh.digest
    secret = bytes.fromhex((private_cache / cache.SECRET_NAME).read_text())
    altered = _altered(evaluated)
    _forge(entry, secret, key, sig, altered, rest)
    forged = load_rulebase(root)
    assert forged.by_id["FIN001"].rule.severity != fresh.by_id["FIN001"].rule.severity
    assert forged.digest == hashlib.sha256(altered.encode()).hexdigest() != fresh.digest
    from advisor.engine import assess
    from advisor.profile import Profile

    assert assess(Profile.model_validate({"schema_version": "1.0"}), forged).rulebase.hash == forged.digest


def test_stats_stand_in_for_contents_until_they_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       private_cache: Path) -> None:
    root = small_base(tmp_path)
    old = 1_600_000_000_000_000_000  # files older than the racy window
    for path in root.rglob("*.yaml"):
        os.utime(path, ns=(old, old))
    load_rulebase(root)
    hashed: list[Path] = []
    real_key = cache.cache_key
    monkeypatch.setattr(cache, "cache_key", lambda r, **kw: hashed.append(r) or real_key(r, **kw))
    built = count_builds(monkeypatch)
    load_rulebase(root)
    assert hashed == [] and built == [], "unchanged stats: nothing hashed, nothing built"
    rule = root / "fin" / "a.yaml"
    os.utime(rule, ns=(old + 10**9, old + 10**9))  # touched, same contents
    load_rulebase(root)
    assert hashed == [root] and built == [], "changed stats: contents hashed, same key, no rebuild"
    load_rulebase(root)
    assert hashed == [root], "the entry now records the new stats"
    rule.write_text(GAP.replace("severity: high", "severity: critical"))
    os.utime(rule, ns=(old + 10**9, old + 10**9))  # new contents behind the same mtime...
    assert rule.stat().st_size != len(GAP)  # ...but not the same size
    assert load_rulebase(root).by_id["FIN001"].rule.severity == "critical" and built == [root]


def test_a_file_changed_within_the_racy_window_is_always_hashed(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Same size, same mtime, new contents: caught, because a file this recent is never
    trusted by its stats."""
    root = small_base(tmp_path)
    rule = root / "fin" / "a.yaml"
    load_rulebase(root)
    st = rule.stat()
    rule.write_text(GAP.replace("severity: high", "severity: low "))  # same length
    os.utime(rule, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert rule.stat().st_size == st.st_size
    assert load_rulebase(root).by_id["FIN001"].rule.severity == "low"


def test_no_pickle_anywhere() -> None:
    """Neither the source nor the cache directory holds a pickle."""
    offenders = [str(p.relative_to(REPO)) for p in (REPO / "src").rglob("*.py")
                 if re.search(r"^\s*(import|from)\s+(c?pickle|marshal|shelve|dill)\b", p.read_text(), re.M)]
    assert offenders == []


def test_the_cache_holds_plain_json_only(tmp_path: Path, private_cache: Path) -> None:
    load_rulebase(small_base(tmp_path), with_cases=True)
    for entry in entries(private_cache):
        _, _, _, evaluated, rest = _entry_parts(entry)
        assert isinstance(json.loads(evaluated), dict) and isinstance(json.loads(rest), dict)
    assert sorted(p.suffix for p in private_cache.iterdir()) == ["", ".json"]


def test_digest_of_a_fresh_load_is_unchanged_by_the_cache(private_cache: Path) -> None:
    from ..conftest import RULES

    os.environ["ADVISOR_NO_CACHE"] = "1"
    try:
        uncached = loader.load_rulebase(RULES)
        expected = uncached.digest
    finally:
        del os.environ["ADVISOR_NO_CACHE"]
    stored = load_rulebase(RULES)
    assert stored.digest == expected and load_rulebase(RULES).digest == expected
