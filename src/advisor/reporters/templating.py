"""Jinja2 environments for the HTML and Markdown documents (templates in ``advisor/templates``).

HTML: autoescaping on, so every value is escaped unless a template says otherwise.
Markdown: every ``{{ … }}`` is made inert by ``finalize`` (Markdown specials escaped, control
characters shown, one line), so a name cannot become a link, an image or a heading; markup
the template itself writes is literal text in the template. Both have ``jinja2.ext.i18n``
installed with the context's gettext callables: ``{% trans %}`` blocks and ``_()`` calls are
whole English sentences, extracted with Babel (``babel.cfg``). Numbers go through
``advisor.formatting`` (``number``, ``money``, ``percent``), never by hand.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Literal

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from advisor.reporters import present
from advisor.reporters.context import RenderContext

Kind = Literal["html", "markdown"]

_MD_SPECIAL = "\\`*_{}[]<>#|!~"


def md_inert(value: object) -> str:
    """Any text made inert in Markdown: one line, control characters shown, specials escaped."""
    flat = re.sub(r"[^\S\u00a0\u202f]+", " ", present.plain(value))  # keeps no-break spaces (1 000 000)
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in flat)


def _md_finalize(value: Any) -> Any:
    if isinstance(value, Markup):  # written by the template itself (|safe, macros)
        return str(value)
    if value is None:
        return ""
    return md_inert(value)


def _code(value: object) -> Markup:
    """A trusted identifier (field path, hash) as a Markdown code span."""
    return Markup("`" + present.plain(value).replace("`", "'") + "`")


def _html_plain(value: object) -> str:
    return present.plain(value)


@lru_cache(maxsize=16)
def environment(kind: Kind, ctx: RenderContext) -> Environment:
    """The environment for one kind of document and one context (cached: templates compile once)."""
    if kind == "html":
        env = Environment(loader=PackageLoader("advisor", "templates"), autoescape=True,
                          extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                          finalize=lambda v: "" if v is None else (v if isinstance(v, Markup) else present.plain(v)))
    else:
        env = Environment(loader=PackageLoader("advisor", "templates"), autoescape=False,
                          extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                          keep_trailing_newline=True, finalize=_md_finalize)
        env.filters["code"] = _code
    env.install_gettext_callables(ctx.tr, ctx.ntr, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        lang=ctx.lang,
        number=lambda v: present.number(v, ctx),
        money=lambda a, c: present.money(a, c, ctx),
        percent=lambda v: present.percent(v, ctx),
        question=lambda f: present.question(f, ctx),
        answer=lambda f, v: present.answer(f, v, ctx),
        severity=lambda v: present.label(present.SEVERITY_LABELS, v, ctx),
        kind=lambda v: present.label(present.KIND_LABELS, v, ctx),
        rating=lambda v: present.label(present.RATING_LABELS, v, ctx),
        confidence=lambda v: present.label(present.CONFIDENCE_LABELS, v, ctx),
        change=lambda v: present.label(present.CHANGE_LABELS, v, ctx),
        condition_kind=lambda v: present.label(present.CONDITION_KINDS, v, ctx),
        finding_dimension=lambda v: present.label(present.FINDING_DIMENSIONS, v, ctx),
        module_format=lambda v: present.label(present.FORMAT_LABELS, v, ctx),
        maturity=lambda lv, sr=None, cb=(): present.maturity(lv, sr, tuple(cb), ctx),
        score=lambda v: present.score(v, ctx),
        yes_no=lambda v: present.yes_no(v, ctx),
    )
    return env


def render_template(template: str, kind: Kind, ctx: RenderContext, values: dict[str, Any]) -> str:
    return environment(kind, ctx).get_template(template).render(**values)
