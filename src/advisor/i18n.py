"""Languages: English, Russian and Kazakh.

Three kinds of text are translated, each kept where it belongs:

- interface messages (the CLI's own sentences): gettext catalogues under ``advisor/locale/``
  (``.po`` sources and compiled ``.mo``, managed with Babel; see ``locale/README.md``);
- the questions and choice labels of the self-assessment: data under
  ``advisor/questions_i18n/<lang>.yaml``, keyed by the Profile's field paths (the English
  questions are the model's own descriptions);
- the texts of rules and training modules: the optional ``i18n`` block of each rule and
  module file (``rules/model.py``), read through :func:`localized_rule_text` and
  :func:`localized_module_text`.

English is always the fallback: a missing translation shows the English text, never a gap.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any, Literal

import yaml

from advisor.rules.model import Module, Rule

Lang = Literal["en", "ru", "kk"]
LANGUAGES: tuple[Lang, ...] = ("en", "ru", "kk")
TRANSLATED: tuple[Lang, ...] = ("ru", "kk")
LANGUAGE_NAMES: dict[Lang, str] = {"en": "English", "ru": "Russian", "kk": "Kazakh"}
DOMAIN = "advisor"

_current: Lang = "en"


# --- choosing the language ----------------------------------------------------------


def language_from_env(environ: Mapping[str, str] | None = None) -> Lang:
    """The interface language from LC_ALL, LC_MESSAGES or LANG (first one set wins).

    ``ru_RU.UTF-8`` gives ``ru``, ``kk_KZ`` gives ``kk``; anything else gives ``en``.
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            code = value.split(".", 1)[0].split("@", 1)[0].split("_", 1)[0].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    _current = lang


def current_language() -> Lang:
    return _current


# --- interface messages (gettext) -------------------------------------------------------


def locale_dir() -> str:
    return str(files("advisor").joinpath("locale"))


@cache
def translation(lang: str) -> _gettext.NullTranslations:
    """The gettext catalogue for ``lang`` (a null catalogue for English or if missing)."""
    if lang == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=locale_dir(), languages=[lang], fallback=True)


def _(message: str) -> str:
    """Translate an interface message into the current language."""
    return translation(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count, using the language's own plural rules."""
    return translation(_current).ngettext(singular, plural, n)


# --- questions and choices ----------------------------------------------------------------


@cache
def question_data(lang: str) -> dict[str, Any]:
    """The translation data of one language (``questions_i18n/<lang>.yaml``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    text = files("advisor").joinpath("questions_i18n", f"{lang}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict) and data.get("language") == lang
    return data


def _english_question(path: str) -> str:
    from advisor.facts import catalogue

    if path.endswith(".evidence") and path.startswith("ratings."):
        return str(question_data("en")["evidence"])
    return catalogue()[path].question


def question(path: str, lang: str | None = None) -> str:
    """The question for a field path (``funding.reserves_months``, ``ratings.strategy``,
    ``ratings.strategy.evidence``) in ``lang`` (default: the current language)."""
    lang = lang or _current
    english = _english_question(path)
    if lang == "en":
        return english
    data = question_data(lang)
    if path.startswith("ratings.") and path.endswith(".evidence"):
        return str(data.get("evidence") or english)
    return str(data.get("questions", {}).get(path) or english)


def choice_label(path: str, value: str | int | bool, lang: str | None = None) -> str:
    """The label of one choice of a field: a Literal value, a rating level, or yes/no
    (pass ``True``/``False`` or ``"yes"``/``"no"`` for a yes/no question)."""
    lang = lang or _current

    def lookup(data: dict[str, Any]) -> str | None:
        if isinstance(value, bool) or value in ("yes", "no"):
            key = "yes" if value in (True, "yes") else "no"
            found = data.get("yes_no", {}).get(key)
        elif path.startswith("ratings."):
            found = data.get("rating_levels", {}).get(int(value))
        else:
            found = data.get("choices", {}).get(path, {}).get(value)
        return str(found) if found is not None else None

    return lookup(question_data(lang)) or lookup(question_data("en")) or str(value)


def section_title(section: str, lang: str | None = None) -> str:
    lang = lang or _current
    return str(
        question_data(lang)["sections"].get(section) or question_data("en")["sections"].get(section, section)
    )


def unit_hint(unit: str, lang: str | None = None) -> str:
    lang = lang or _current
    return str(question_data(lang)["units"].get(unit) or question_data("en")["units"].get(unit, unit))


def form_message(key: str, lang: str | None = None, **values: Any) -> str:
    """A message used inside the form (constraint messages, hints), filled with ``values``."""
    lang = lang or _current
    template = question_data(lang)["messages"].get(key) or question_data("en")["messages"][key]
    return str(template).format(**values)


def form_title(lang: str | None = None) -> str:
    return str(question_data(lang or _current)["form_title"])


def untranslated_questions(lang: str) -> list[str]:
    """Field paths and choices that have no ``lang`` text of their own (for the coverage test)."""
    from advisor.facts import catalogue

    data = question_data(lang)
    missing: list[str] = []
    for path, spec in catalogue().items():
        if lang != "en" and not data.get("questions", {}).get(path):
            missing.append(path)
        if spec.kind == "bool":
            missing += [f"{path}={v}" for v in ("yes", "no") if not data.get("yes_no", {}).get(v)]
        elif spec.kind == "rating":
            missing += [f"{path}={v}" for v in spec.choices if not data.get("rating_levels", {}).get(v)]
        elif spec.kind in ("choice", "choices"):
            labels = data.get("choices", {}).get(path, {})
            missing += [f"{path}={v}" for v in spec.choices if not labels.get(v)]
    if not data.get("evidence"):
        missing.append("ratings.*.evidence")
    return missing


# --- rules and training modules ---------------------------------------------------------


@dataclass(frozen=True)
class RuleText:
    """A rule's texts in one language (English where no translation exists)."""

    lang: str
    translated: bool  # False: these are the English texts
    title: str
    what: str
    why: str
    action: str
    who: str | None = None
    first_step: str | None = None
    timeframe: str | None = None
    done_when: str | None = None


@dataclass(frozen=True)
class ModuleText:
    lang: str
    translated: bool
    title: str
    objective: str
    outcomes: tuple[str, ...] = ()
    prerequisites_why: str | None = None


def localized_rule_text(rule: Rule, lang: str | None = None) -> RuleText:
    """The title, doc sections and advice of ``rule`` in ``lang`` (default: current language),
    falling back to the rule's English text when it carries no translation for ``lang``."""
    lang = lang or _current
    tr = rule.i18n.get(lang) if lang != "en" else None  # type: ignore[call-overload]
    if tr is None:
        return RuleText(
            lang="en",
            translated=False,
            title=rule.title,
            what=rule.doc.what,
            why=rule.doc.why,
            action=rule.doc.action,
            who=rule.advice.who if rule.advice else None,
            first_step=rule.advice.first_step if rule.advice else None,
            timeframe=rule.advice.timeframe if rule.advice else None,
            done_when=rule.advice.done_when if rule.advice else None,
        )
    return RuleText(
        lang=lang,
        translated=True,
        title=tr.title,
        what=tr.doc.what,
        why=tr.doc.why,
        action=tr.doc.action,
        who=tr.advice.who if tr.advice else None,
        first_step=tr.advice.first_step if tr.advice else None,
        timeframe=tr.advice.timeframe if tr.advice else None,
        done_when=(tr.advice.done_when or (rule.advice.done_when if rule.advice else None)) if tr.advice else None,
    )


def localized_module_text(module: Module, lang: str | None = None) -> ModuleText:
    lang = lang or _current
    tr = module.i18n.get(lang) if lang != "en" else None  # type: ignore[call-overload]
    if tr is None:
        return ModuleText(lang="en", translated=False, title=module.title, objective=module.objective,
                          outcomes=tuple(module.outcomes), prerequisites_why=module.prerequisites_why)
    return ModuleText(lang=lang, translated=True, title=tr.title, objective=tr.objective,
                      outcomes=tuple(tr.outcomes) or tuple(module.outcomes),
                      prerequisites_why=tr.prerequisites_why or module.prerequisites_why)
