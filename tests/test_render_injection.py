"""Injection into what people read (issue 18): one hostile name, file name and evidence note
pushed through every command and every format. Nothing may be interpreted: no rich markup,
no link, no image or remote URL, no raw control character, no crash; the data stays intact
(JSON carries the name as given)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from advisor.cli import cli
from tests.conftest import RULES

ROOT = Path(__file__).resolve().parents[1]
EVIL = "https://evil.example/"
HOSTILE = ("x [/] y [link=https://evil.example/p]MoJ verified[/link] \x1b]0;own\x07\x1b[2J\x1b[32mAll clear"
           "\u202e ![b](https://evil.example/b.png) <img src=https://evil.example/i> | `c` *e* # h\n=1+1")
assert len(HOSTILE) <= 200  # the profile's limit for a name
FILE_NAME = "p [bold]red[link=https:evil] \x1b[31m.yaml"


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    data = yaml.safe_load((ROOT / "profiles" / "example.yaml").read_text(encoding="utf-8"))
    data["organisation"]["name"] = HOSTILE
    data["ratings"]["context"]["evidence"] = HOSTILE  # an evidence note
    (folder / FILE_NAME).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (folder / "plain.yaml").write_text((ROOT / "profiles" / "example.yaml").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    return folder


def _runs(folder: Path) -> list[tuple[list[str], str]]:
    hostile, plain = str(folder / FILE_NAME), str(folder / "plain.yaml")
    runs: list[tuple[list[str], str]] = []
    for fmt in ("table", "json", "markdown", "html"):
        runs += [(["assess", hostile, "--format", fmt], fmt), (["plan", hostile, "--format", fmt], fmt)]
        if fmt != "html":
            runs.append((["assess", hostile, "--audience", "ngo", "--format", fmt], fmt))
    for fmt in ("table", "json", "markdown", "html", "csv"):
        runs += [(["screen", hostile, "--format", fmt], fmt), (["screen", str(folder), "--format", fmt], fmt)]
    runs += [(["screen", str(folder), "--format", f, "--sort", "input"], f) for f in ("json", "csv")]
    runs += [(["compare", hostile, plain, "--format", f], f) for f in ("table", "json", "markdown")]
    runs += [(["compare", plain, hostile, "--format", f], f) for f in ("table", "markdown")]
    runs += [(["explain", hostile, "FIN001"], "table")]
    return runs


def _tags(text: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collect().feed(text)
    return found


def _check(text: str, fmt: str) -> None:
    assert "\x1b" not in text and "\x07" not in text, "raw control character"
    if fmt == "json":  # data: the name as given, control characters escaped by JSON itself
        assert HOSTILE in json.dumps(json.loads(text), ensure_ascii=False) or "x [/] y" in text
        return
    assert "\u202e" not in text, "a bidirectional override"
    if fmt == "html":
        tags = _tags(text)
        assert not {"img", "link", "iframe"} & {t for t, _ in tags}
        # the one script a page may hold is the portfolio's own constant, allowed by its hash
        scripts = re.findall(r"<script>(.*?)</script>", text, re.S)
        from advisor.reporters.documents import PORTFOLIO_SCRIPT

        assert scripts in ([], [PORTFOLIO_SCRIPT]), "a script that is not the portfolio's own"
        assert sum(1 for t, _ in tags if t == "script") == len(scripts)
        for _tag, attrs in tags:
            for key, value in attrs:
                if key in ("src", "href"):
                    assert (value or "").startswith("#"), f"{key}={value}: only links within the page"
        return
    if fmt == "markdown":
        assert not re.search(r"(?<!\\)\]\(", text), "a Markdown link or image"
        assert not re.search(r"(?<!\\)<img", text)
        return
    if fmt == "csv":
        assert "\n=1+1" not in text and ",=1+1" not in text
        return
    # the terminal: markup shown as written, never interpreted
    if "MoJ verified" in text:  # the name is shown: with its markup as written
        assert "[link=" in text and "[/link]" in text


def test_hostile_text_through_every_command_and_format(hostile_dir: Path) -> None:
    runner = CliRunner()
    for args, fmt in _runs(hostile_dir):
        result = runner.invoke(cli, [*args, "--rules", str(RULES)], env={"COLUMNS": "400"})
        assert result.exit_code in (0, 1), f"{args}: exit {result.exit_code}: {result.output[-400:]}"
        _check(result.stdout, fmt)


def test_merge_of_hostile_respondents(hostile_dir: Path, tmp_path: Path) -> None:
    for fmt in ("table", "json"):
        out = tmp_path / f"merged-{fmt}.yaml"
        result = CliRunner().invoke(cli, ["merge", str(hostile_dir / FILE_NAME), str(hostile_dir / "plain.yaml"),
                                          "-o", str(out), "--format", fmt], env={"COLUMNS": "400"})
        assert result.exit_code in (0, 1), result.output
        assert "\x1b" not in result.stdout
        if fmt == "table":
            assert "p [bold]red[link=https:evil] ␛[31m.yaml" in result.stdout  # the respondent's name, shown as written
        merged = yaml.safe_load(out.read_text(encoding="utf-8"))
        assert merged["organisation"].get("name") in (None, HOSTILE)  # data kept intact, or a conflict


def test_terminal_shows_markup_literally(hostile_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["screen", str(hostile_dir), "--rules", str(RULES)], env={"COLUMNS": "600"})
    assert result.exit_code in (0, 1), result.output
    assert "x [/] y [link=https://evil.example/p]MoJ verified[/link]" in result.stdout
    assert "␛]0;own␇" in result.stdout  # the escape sequence is visible, not executed
