"""Every command that writes a file or reads the rule-base cache, under a simulated Windows.

The ``os`` module every advisor module sees is replaced by one that says ``os.name == "nt"``
and lacks the POSIX-only functions (``getuid``, ``fchmod``, ``O_NOFOLLOW``, ``mkfifo``, ...),
as on Windows before Python 3.13; ``signal.SIGHUP`` is gone too; durable-rules is not
installed (it is not a dependency on Windows), so the reference evaluator runs and says so.
Paths stay POSIX (pathlib cannot pretend), but every branch advisor takes on ``os.name``
is the Windows one.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import signal
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import advisor
from advisor.rules import loader
from tests.conftest import PROFILES, RULES

POSIX_ONLY = (
    "getuid", "geteuid", "getgid", "getegid", "getgroups", "getpwuid", "fchmod", "fchown", "chown",
    "lchown", "lchmod", "mkfifo", "mknod", "makedev", "major", "minor", "fork", "forkpty", "setsid",
    "killpg", "getpgid", "setpgid", "sync", "uname", "O_NOFOLLOW", "O_DIRECTORY", "O_NOCTTY",
    "O_NONBLOCK", "O_CLOEXEC", "O_SYNC", "O_DSYNC", "pathconf", "fpathconf", "statvfs", "fstatvfs",
    "getloadavg", "openpty", "ttyname", "sched_getaffinity", "posix_fadvise", "posix_fallocate",
    "get_blocking", "set_blocking", "sysconf", "confstr", "nice", "wait3", "wait4", "waitpid",
)
SIGNALS_POSIX_ONLY = ("SIGHUP", "SIGQUIT", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "SIGPIPE",
                      "alarm", "pause", "setitimer", "getitimer", "siginterrupt", "pthread_kill", "pthread_sigmask")


def _without(real: types.ModuleType, module_name: str, missing: tuple[str, ...], **extra: object) -> types.ModuleType:
    fake = types.ModuleType(module_name)
    fake.__dict__.update({k: v for k, v in vars(real).items() if k not in missing and not k.startswith("__")})
    fake.__dict__.update(extra)
    return fake


FAKE_OS = _without(os, "os", POSIX_ONLY, name="nt", linesep="\r\n", O_BINARY=0x8000)
FAKE_SIGNAL = _without(signal, "signal", SIGNALS_POSIX_ONLY)


def _advisor_modules() -> list[types.ModuleType]:
    for info in pkgutil.walk_packages(advisor.__path__, "advisor."):
        try:
            importlib.import_module(info.name)
        except ImportError:
            continue  # e.g. the durable-rules adapter where durable-rules is missing
    return [m for name, m in sorted(sys.modules.items()) if name.startswith("advisor") and m is not None]


@pytest.fixture
def windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A simulated Windows; yields the cache directory."""
    for module in _advisor_modules():
        if getattr(module, "os", None) is os:
            monkeypatch.setattr(module, "os", FAKE_OS)
        if getattr(module, "signal", None) is signal:
            monkeypatch.setattr(module, "signal", FAKE_SIGNAL)
    for name in ("durable", "durable.lang", "durable.engine", "durable_rules_engine",
                 "advisor.engine.durable_adapter"):
        monkeypatch.setitem(sys.modules, name, None)  # "import durable" raises ImportError
    import advisor.engine

    monkeypatch.setattr(advisor.engine, "_evaluators", {})
    cache_home = tmp_path / "LocalAppData"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.delenv("ADVISOR_NO_CACHE", raising=False)
    monkeypatch.chdir(tmp_path)
    yield cache_home / "advisor"


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    from advisor.cli import cli

    result = CliRunner().invoke(cli, list(args), input=input)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    return result.exit_code, result.stdout, result.stderr


def test_the_simulation_is_windows(windows: Path) -> None:
    from advisor import files
    from advisor.engine import durable_available, engine_notice
    from advisor.rules import cache

    assert files.os.name == "nt" and cache.os.name == "nt"
    assert not hasattr(files.os, "fchmod") and not hasattr(cache.os, "getuid")
    assert not hasattr(cache.os, "O_NOFOLLOW")
    assert not durable_available()
    notice = engine_notice("auto")
    assert notice is not None and "Windows" in notice and "reference evaluator" in notice


def test_assess_writes_a_file_and_says_which_engine(windows: Path) -> None:
    code, _, err = run("assess", str(PROFILES / "example.yaml"), "--format", "json", "-o", "a.json")
    assert code == 0, err
    assert json.loads(Path("a.json").read_text())["engine"] == "reference"
    notices = [line for line in err.splitlines() if "durable-rules" in line]
    assert len(notices) == 1 and "Windows" in notices[0]
    code, _, err = run("assess", str(PROFILES / "example.yaml"), "--format", "json", "-o", "a.json")
    assert code == 2 and "already exists" in err
    code, _, err = run("assess", str(PROFILES / "example.yaml"), "--format", "json", "-o", "a.json", "--force")
    assert code == 0, err
    code, _, err = run("assess", str(PROFILES / "example.yaml"), "--engine", "durable")
    assert code == 2 and "Windows" in err and len(err.strip().splitlines()) == 1


def test_the_rule_base_cache_is_written_and_read(windows: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Path] = []
    real = loader._load_rulebase
    monkeypatch.setattr(loader, "_load_rulebase", lambda root, wc: built.append(root) or real(root, wc))
    first = loader.load_rulebase(RULES)
    second = loader.load_rulebase(RULES)
    assert built == [RULES] and second == first and second.digest == first.digest
    assert sorted(p.name for p in windows.iterdir() if p.suffix == ".json")
    for profile in ("example.yaml", "isolated.yaml"):
        code, out, err = run("assess", str(PROFILES / profile), "--format", "json", "--rules", str(RULES))
        assert code == 0, err
        assert json.loads(out)["rulebase"]["hash"] == first.digest
    code, out, err = run("rules", "list", "--format", "json", "--rules", str(RULES))
    listed = json.loads(out)
    assert code == 0 and len(listed["rules"]) == len(first.rules) and listed["hash"] == first.digest, err
    assert built == [RULES], "commands read the cache"


def test_xlsform_share_merge_plan_compare_write_files(windows: Path) -> None:
    code, _, err = run("xlsform", "-o", "form.xlsx")
    assert code == 0 and Path("form.xlsx").read_bytes()[:2] == b"PK", err
    code, _, err = run("share", str(PROFILES / "example.yaml"), "--for", "donor", "-o", "shared.yaml")
    assert code == 0 and yaml.safe_load(Path("shared.yaml").read_text())["schema_version"], err
    code, _, err = run("merge", str(PROFILES / "example.yaml"), str(PROFILES / "example.yaml"), "-o", "merged.yaml")
    assert code == 0 and Path("merged.yaml").exists(), err
    code, _, err = run("plan", str(PROFILES / "example.yaml"), "--format", "json", "-o", "plan.json")
    assert code == 0 and json.loads(Path("plan.json").read_text()), err
    code, _, err = run("compare", str(PROFILES / "example.yaml"), str(PROFILES / "isolated.yaml"),
                       "--format", "json", "-o", "compare.json")
    assert code == 0 and json.loads(Path("compare.json").read_text()), err


def test_screen_reads_the_cache_and_writes_a_file(windows: Path) -> None:
    code, _, err = run("screen", str(PROFILES), "--format", "csv", "-o", "portfolio.csv")
    assert code in (0, 1), err
    rows = Path("portfolio.csv").read_text().splitlines()
    assert len(rows) == 1 + len(list(PROFILES.rglob("*.yaml")))


def test_interview_drafts_and_the_profile(windows: Path) -> None:
    answers = Path("answers.yaml")
    answers.write_text("organisation.paid_staff: 4\nfunding.share_foreign_pct: 0\n")
    code, _, err = run("interview", "-o", "me.yaml", "--answers", str(answers))
    assert code == 2 and Path("me.yaml.draft").exists(), err  # unanswered questions: the draft keeps the rest
    code, _, err = run("interview", "-o", "me.yaml", "--partial", input="")
    assert code == 0, err
    assert yaml.safe_load(Path("me.yaml").read_text())["organisation"]["paid_staff"] == 4
    assert not Path("me.yaml.draft").exists()


def test_import_writes_profiles(windows: Path) -> None:
    fixtures = Path(__file__).resolve().parent / "fixtures" / "kobo"
    code, _, err = run("import", str(fixtures / "kobo_api.json"), "-o", "imported")
    assert code == 2 and "imported 2 profiles" in err, err  # the fixture has one bad row, by design
    assert len(list(Path("imported").glob("*.yaml"))) == 2
