"""docs/rules/ must be what ``advisor rules docs`` generates from the rule base now."""

from __future__ import annotations

import re

from advisor.rules.docs import generated_pages, sections_for

from ..conftest import REPO
from .support import bundled_rulebase

DOCS = REPO / "docs" / "rules"


def test_committed_pages_match_generated() -> None:
    pages = generated_pages(bundled_rulebase())
    committed = {p.name for p in DOCS.glob("*.md")} if DOCS.is_dir() else set()
    missing = sorted(set(pages) - committed)
    extra = sorted(committed - set(pages))
    stale = sorted(
        name for name in set(pages) & committed
        if (DOCS / name).read_text(encoding="utf-8") != pages[name]
    )
    hint = "run `advisor rules docs` and commit docs/rules/"
    assert not missing, f"missing pages: {missing}; {hint}"
    assert not extra, f"pages of rules that no longer exist: {extra}; {hint}"
    assert not stale, f"stale pages: {stale}; {hint}"


def test_every_page_has_its_sections_in_order() -> None:
    rb = bundled_rulebase()
    pages = generated_pages(rb)
    for compiled in rb.rules:
        headings = re.findall(r"^## (.+)$", pages[f"{compiled.id}.md"], flags=re.M)
        assert headings == list(sections_for(compiled.rule)), compiled.id


def test_committed_manifest_lists_the_pages() -> None:
    from advisor.rules.docs import MANIFEST

    listed = [line for line in (DOCS / MANIFEST).read_text().splitlines() if not line.startswith("#")]
    assert listed == sorted(generated_pages(bundled_rulebase()))


# --- `advisor rules docs` writes and removes only its own pages (issue 18) -----------------

import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from advisor.cli import cli  # noqa: E402
from advisor.rules.docs import MANIFEST  # noqa: E402

from ..conftest import RULES  # noqa: E402


def _docs(out: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["rules", "docs", "--rules", str(RULES), "--out", str(out), *extra])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_docs_into_a_clone_refuses_and_touches_nothing(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# the project\n")
    (tmp_path / "DEVELOPING.md").write_text("how to develop\n")
    (tmp_path / "notes.md").write_text("my notes\n")
    before = _snapshot(tmp_path)
    code, output = _docs(tmp_path)
    assert code == 2, output
    assert output.count("\n") == 1 and "was not made by 'advisor rules docs'" in output
    assert _snapshot(tmp_path) == before


def test_docs_in_a_new_folder_then_prunes_only_its_own_pages(tmp_path: Path) -> None:
    out = tmp_path / "docs" / "rules"
    code, output = _docs(out)
    assert code == 0, output
    pages = generated_pages(bundled_rulebase())
    assert {p.name for p in out.iterdir()} == set(pages) | {MANIFEST}
    if sys.platform != "win32":
        assert all((p.stat().st_mode & 0o777) == 0o600 for p in out.iterdir())
    # A page of a rule that no longer exists (listed as written before) goes; a file the
    # user put there stays, and so does a page-like file the command never wrote.
    (out / "OLD999.md").write_text("stale page")
    (out / MANIFEST).write_text((out / MANIFEST).read_text() + "OLD999.md\n")
    (out / "notes.md").write_text("my notes")
    code, output = _docs(out)
    assert code == 0, output
    assert not (out / "OLD999.md").exists()
    assert (out / "notes.md").read_text() == "my notes"
    assert "removed 1" in output


def test_docs_never_replaces_a_file_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _docs(out)[0] == 0
    manifest = out / MANIFEST
    manifest.write_text(manifest.read_text().replace("README.md\n", ""))
    (out / "README.md").write_text("mine")
    code, output = _docs(out)
    assert code == 2 and "README.md: exists and was not written by" in output
    assert (out / "README.md").read_text() == "mine"


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_docs_never_follows_a_symlinked_page(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _docs(out)[0] == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / "README.md").unlink()
    (out / "README.md").symlink_to(victim)
    for extra in ((), ("--force",)):
        code, output = _docs(out, *extra)
        assert code == 2 and "symbolic link" in output
    assert victim.read_text() == "precious"


def test_docs_force_adds_pages_to_a_foreign_folder_and_removes_nothing(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("my notes")
    code, output = _docs(tmp_path, "--force")
    assert code == 0, output
    assert (tmp_path / "notes.md").read_text() == "my notes"
    assert (tmp_path / MANIFEST).exists()
