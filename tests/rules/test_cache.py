"""The on-disk cache of the compiled rule base (advisor.rules.cache): used when nothing
changed, rebuilt when a rule file changes or the cache is damaged, never an error."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from advisor.errors import RuleBaseError
from advisor.rules import cache, loader
from advisor.rules.loader import load_rulebase

from ..conftest import RULES
from .test_loader import GAP, REC, make_base


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("ADVISOR_NO_CACHE", raising=False)
    return home / "advisor"


def small_base(tmp_path: Path) -> Path:
    base = tmp_path / "bases"
    base.mkdir(exist_ok=True)
    return make_base(base, {"fin/a.yaml": GAP, "rec/b.yaml": REC})


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("rulebase-*.json")) if directory.is_dir() else []


def count_builds(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    built: list[Path] = []
    real = loader._load_rulebase

    def spy(root: Path, with_cases: bool) -> loader.RuleBase:
        built.append(root)
        return real(root, with_cases)

    monkeypatch.setattr(loader, "_load_rulebase", spy)
    return built


def test_second_load_is_a_hit_and_equal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        private_cache: Path) -> None:
    root = small_base(tmp_path)
    built = count_builds(monkeypatch)
    first = load_rulebase(root)
    second = load_rulebase(root)
    assert built == [root]
    assert second == first and second.digest == first.digest
    assert [r.stratum for r in second.rules] == [1, 0]
    (entry,) = entries(private_cache)
    assert stat.S_IMODE(private_cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_cached_bundled_rules_equal_a_fresh_load(monkeypatch: pytest.MonkeyPatch) -> None:
    built = count_builds(monkeypatch)
    for with_cases in (False, True):
        stored = load_rulebase(RULES, with_cases=with_cases)  # builds and stores
        cached = load_rulebase(RULES, with_cases=with_cases)  # read back
        monkeypatch.setenv("ADVISOR_NO_CACHE", "1")
        fresh = load_rulebase(RULES, with_cases=with_cases)
        monkeypatch.delenv("ADVISOR_NO_CACHE")
        assert cached is not stored
        assert cached == fresh and cached.digest == fresh.digest
        assert cached.cases == fresh.cases and cached.root == fresh.root
        assert [r.path for r in cached.rules] == [r.path for r in fresh.rules]
    assert len(built) == 4  # two stores, two uncached loads; no rebuild for the cached reads


def test_a_changed_rule_file_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      private_cache: Path) -> None:
    root = small_base(tmp_path)
    built = count_builds(monkeypatch)
    assert load_rulebase(root).by_id["FIN001"].rule.severity == "high"
    (root / "fin" / "a.yaml").write_text(GAP.replace("severity: high", "severity: critical"))
    changed = load_rulebase(root)
    assert changed.by_id["FIN001"].rule.severity == "critical"
    assert load_rulebase(root) == changed
    assert len(built) == 2 and len(entries(private_cache)) == 1


def test_an_added_file_or_a_rename_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = small_base(tmp_path)
    built = count_builds(monkeypatch)
    load_rulebase(root)
    (root / "fin" / "a.yaml").rename(root / "fin" / "renamed.yaml")
    assert load_rulebase(root).by_id["FIN001"].path.endswith("renamed.yaml")
    assert len(built) == 2


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "empty", "not-a-rulebase", "directory"])
def test_a_damaged_cache_is_rebuilt_never_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  private_cache: Path, damage: str) -> None:
    root = small_base(tmp_path)
    fresh = load_rulebase(root)
    (entry,) = entries(private_cache)
    blob = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(os.urandom(len(blob)))
    elif damage == "truncated":
        entry.write_bytes(blob[: len(blob) // 2])
    elif damage == "flipped":
        entry.write_bytes(blob[:-10] + bytes([blob[-10] ^ 0xFF]) + blob[-9:])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "not-a-rulebase":
        header, _, _, _, _ = blob[len(cache.MAGIC):].split(b"\n")
        entry.write_bytes(cache.MAGIC + header + b'\n{"not":"a rule base"}\n{}\nend\n')
    else:
        entry.unlink()
        entry.mkdir()
    built = count_builds(monkeypatch)
    again = load_rulebase(root)
    assert built == [root]
    assert again == fresh and again.digest == fresh.digest
    if damage != "directory":  # the rebuilt cache is good again
        assert load_rulebase(root) == fresh and built == [root]


def test_a_cache_others_could_have_written_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          private_cache: Path) -> None:
    root = small_base(tmp_path)
    load_rulebase(root)
    (entry,) = entries(private_cache)
    built = count_builds(monkeypatch)
    entry.chmod(0o644)
    load_rulebase(root)
    assert built == [root]
    private_cache.chmod(0o777)
    load_rulebase(root)
    assert len(built) == 2
    private_cache.chmod(0o700)


def test_no_cache_env_and_unwritable_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               private_cache: Path) -> None:
    root = small_base(tmp_path)
    monkeypatch.setenv("ADVISOR_NO_CACHE", "1")
    built = count_builds(monkeypatch)
    load_rulebase(root)
    load_rulebase(root)
    assert len(built) == 2 and not private_cache.exists()
    monkeypatch.delenv("ADVISOR_NO_CACHE")
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache directory would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_rulebase(root).by_id["FIN001"]  # no error, just no cache


def test_errors_are_still_reported_and_not_cached(tmp_path: Path, private_cache: Path) -> None:
    root = make_base(tmp_path, {"fin/a.yaml": GAP.replace("severity: high", "severity: hihg")})
    for _ in range(2):
        with pytest.raises(RuleBaseError):
            load_rulebase(root)
    assert entries(private_cache) == []


def test_old_entries_are_pruned(tmp_path: Path, private_cache: Path) -> None:
    for _ in range(cache.KEEP + 3):
        load_rulebase(small_base(tmp_path))
    assert len(entries(private_cache)) == cache.KEEP


def test_the_key_covers_code_python_and_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = small_base(tmp_path)
    key = cache.cache_key(root, with_cases=False)
    assert cache.cache_key(root, with_cases=False) == key
    assert cache.cache_key(root, with_cases=True) != key
    monkeypatch.setattr(cache, "CODE_MODULES", (*cache.CODE_MODULES, "advisor.errors"))
    assert cache.cache_key(root, with_cases=False) != key
    monkeypatch.setattr(cache, "CODE_MODULES", cache.CODE_MODULES[:-1])
    monkeypatch.setattr(cache.sys, "version", "9.9.9 (other)")
    assert cache.cache_key(root, with_cases=False) != key
