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
