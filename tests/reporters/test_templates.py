"""Templates take their language from the RenderContext: gettext for every label and
sentence, <html lang>, numbers formatted for the language; the terminal uses the same catalogue."""

from __future__ import annotations

import gettext
from pathlib import Path

from advisor.engine import assess
from advisor.formatting import format_money, format_number, format_percent
from advisor.profile_io import load_profile
from advisor.reporters import render
from advisor.reporters.context import RenderContext
from advisor.rules.loader import load_rulebase
from advisor.views.capacity_plan import capacity_plan
from advisor.views.ngo_report import ngo_report
from tests.conftest import PINNED_RULES

ROOT = Path(__file__).resolve().parents[2]


class Marked(gettext.NullTranslations):
    """A catalogue that translates every message by wrapping it, to see what went through it."""

    def gettext(self, message: str) -> str:
        return f"«{message}»"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"«{singular if n == 1 else plural}»"


def _views() -> tuple[object, object]:
    profile = load_profile(ROOT / "profiles" / "example.yaml")
    rulebase = load_rulebase(PINNED_RULES)
    a = assess(profile, rulebase, "reference")
    return ngo_report(a, rulebase, profile), capacity_plan(a, rulebase)


def test_labels_and_sentences_go_through_the_contexts_catalogue() -> None:
    report, plan = _views()
    ctx = RenderContext(lang="ru", translations=Marked())
    html = render(report, "html", ctx)
    md = render(report, "markdown", ctx)
    assert html is not None and md is not None
    assert '<html lang="ru"' in html
    for text in (html, md):
        assert "«Areas at a glance»" in text and "«Who»" in text and "«Technical appendix»" in text
        assert "«answered 49 of " in text  # a whole sentence, with its numbers inside
    assert "«Why this module»" in (render(plan, "html", ctx) or "")


def test_numbers_are_formatted_for_the_language() -> None:
    assert format_number(4.0, "en") == "4" and "," in format_number(2.5, "ru")
    assert format_number(1234567, "en") == "1,234,567" and "KZT" in format_money(50_000_000, "KZT", "en")
    assert format_percent(45, "en") == format_percent(0.45, "en", ratio=True) == "45%"
    report, _ = _views()
    for lang in ("en", "ru"):
        text = render(report, "markdown", RenderContext.for_language(lang)) or ""
        assert f"→ **{format_percent(80, lang)}**" in text  # the answer 80 to a question in percent
        assert f"| {format_number(3, lang)} |" in text or format_number(3, lang) == "3"


def test_terminal_labels_from_the_same_catalogue(capsys: object) -> None:
    report, _ = _views()
    render(report, "table", RenderContext(lang="ru", translations=Marked(), width=120))
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "«What to do first»" in out and "«Areas at a glance»" in out


def test_done_when_dimension_and_domain_knowledge_are_shown_when_given() -> None:
    report, _ = _views()
    act = report.actions[0]  # type: ignore[attr-defined]
    source = act.sources[0].model_copy(update={"kind": "domain", "reference": "HACT 2016, section 4"})
    gap_area = next(a for a in report.areas if a.gaps)  # type: ignore[attr-defined]
    gap = gap_area.gaps[0].model_copy(update={"dimension": "level of organisation"})
    changed = report.model_copy(update={  # type: ignore[attr-defined]
        "actions": (act.model_copy(update={"done_when": "Board minutes approve the reserve policy"}),
                    *report.actions[1:]),  # type: ignore[attr-defined]
        "areas": tuple(a.model_copy(update={"gaps": (gap, *a.gaps[1:])}) if a is gap_area else a
                       for a in report.areas),  # type: ignore[attr-defined]
    })
    changed = changed.model_copy(update={"actions": (changed.actions[0].model_copy(update={"sources": (source,)}),
                                                     *changed.actions[1:])})
    for fmt in ("html", "markdown"):
        text = render(changed, fmt, RenderContext()) or ""
        assert "Board minutes approve the reserve policy" in text
        assert "Domain knowledge: HACT 2016, section 4" in text
    for fmt in ("html", "markdown"):
        assert "level of organisation" in (render(changed, fmt, RenderContext()) or "")
    assert "done_when" not in changed.model_dump_json()  # the JSON layout is unchanged
