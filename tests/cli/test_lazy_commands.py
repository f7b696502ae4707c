"""A command's module is imported only when that command runs; --help still lists them all."""

from __future__ import annotations

import json
import subprocess
import sys

from advisor.cli import COMMANDS
from tests.conftest import PROFILES, RULES

PROBE = """
import sys
from advisor.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
import json
print(json.dumps(sorted(m for m in sys.modules if m.startswith("advisor"))), file=sys.stderr)
"""


def _modules_after(*args: str) -> tuple[set[str], str]:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120)
    *_, last = result.stderr.strip().splitlines()
    return set(json.loads(last)), result.stdout


def test_assess_imports_only_its_own_command() -> None:
    modules, out = _modules_after("assess", str(PROFILES / "example.yaml"), "--format", "json", "--rules", str(RULES))
    assert json.loads(out)["findings"]
    assert "advisor.cli.assess" in modules
    others = {m for m in set(COMMANDS.values()) if m != "advisor.cli.assess"}
    assert modules & others == set()
    assert not modules & {"advisor.views.capacity_plan", "advisor.interview", "advisor.kobo_import",
                          "advisor.xlsform", "advisor.merge", "advisor.batch"}


def test_help_lists_every_command_with_its_short_help() -> None:
    modules, out = _modules_after("--help")
    listed = {line.split()[0]: line for line in out.split("Commands:")[1].strip().splitlines()}
    assert set(listed) == set(COMMANDS)
    assert all(len(line.split()) > 2 for line in listed.values()), listed  # a short help beside each
    assert set(COMMANDS.values()) <= modules
    assert "--identity" in out and "--passphrase-file" in out  # the group's global options
