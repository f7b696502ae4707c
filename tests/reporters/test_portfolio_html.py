"""The portfolio at a glance (issue 16, part 3): one self-contained offline page whose only
script is allowed by its hash, whose table works without it, and that links every partner to
its own section."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from advisor.cli import cli

from ..conftest import REPO

PROFILES = REPO / "profiles"


class _Page(HTMLParser):
    VOID = {"meta", "br", "input", "img", "link", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.scripts: list[str] = []
        self.th_scopes: list[str | None] = []
        self.captions = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag not in self.VOID:
            self.stack.append(tag)
        if "id" in a:
            self.ids.add(str(a["id"]))
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(str(a[key]))
        if tag == "th":
            self.th_scopes.append(a.get("scope"))
        if tag == "caption":
            self.captions += 1
        self._in_script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.VOID = self.VOID | {tag}  # <x/>: opens and closes
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _page(tmp_path: Path, *args: str) -> tuple[str, _Page]:
    out = tmp_path / "portfolio.html"
    result = CliRunner().invoke(cli, ["screen", str(PROFILES), *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    page.close()
    assert page.stack == [], f"unclosed: {page.stack}"
    return text, page


def test_the_page_is_well_formed_and_offline(tmp_path: Path) -> None:
    text, page = _page(tmp_path)  # the format comes from the .html extension
    assert all(link.startswith("#") for link in page.links), [l for l in page.links if not l.startswith("#")]
    assert not re.search(r"url\(|@import|https?://(?!www\.w3\.org/1999/xhtml)", text)


def test_the_only_script_is_allowed_by_its_hash(tmp_path: Path) -> None:
    text, page = _page(tmp_path, "--format", "html")
    (script,) = page.scripts
    digest = "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    policy = re.search(r'Content-Security-Policy" content="([^"]+)"', text)
    assert policy and f"script-src '{digest}'" in policy.group(1) and "default-src 'none'" in policy.group(1)
    assert "unsafe-inline'" not in policy.group(1).split("script-src", 1)[1]


def test_every_partner_links_to_its_own_section_and_the_table_is_accessible(tmp_path: Path) -> None:
    text, page = _page(tmp_path, "--format", "html")
    partners = len(list(PROFILES.rglob("*.yaml")))
    targets = [link[1:] for link in page.links if link.startswith("#partner-")]
    assert len(targets) == partners and set(targets) <= page.ids
    assert page.captions >= 4 and all(scope in ("col", "row") for scope in page.th_scopes)
    counts = [int(n) for n in re.findall(r'<tr><th scope="row">(?:High|Significant|Moderate|Low)</th><td>(\d+)</td>', text)]
    assert sum(counts) == partners
    assert "Most frequent across the portfolio" in text


def test_the_page_speaks_russian(tmp_path: Path) -> None:
    out = tmp_path / "portfolio-ru.html"
    result = CliRunner().invoke(cli, ["--lang", "ru", "screen", str(PROFILES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert '<html lang="ru"' in text and "Portfolio screening" not in text and "Partners" not in text
