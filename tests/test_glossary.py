"""The glossary (src/advisor/locale/GLOSSARY.md) holds in the catalogues and the questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from advisor import i18n

SRC = Path(i18n.__file__).parent
GLOSSARY = SRC / "locale" / "GLOSSARY.md"

# Words the glossary says to avoid, per language (whole-word stems).
AVOID = {
    "ru": [r"\bНКО\b", r"\bбенефициар", r"\bинспекци", r"\bскрининг"],
    "kk": [r"\bНКО\b", r"\bНПО\b", r"\bбенефициар", r"\bинспекци"],
}


def _texts(lang: str) -> list[tuple[str, str]]:
    with (SRC / "locale" / lang / "LC_MESSAGES" / "advisor.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    out: list[tuple[str, str]] = []
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            out += [(f"catalogue: {message.id!r}", s) for s in strings]
    data = i18n.question_data(lang)

    def walk(prefix: str, value: object) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}", inner)
        elif isinstance(value, str):
            out.append((f"questions_i18n{prefix}", value))

    walk("", data)
    return out


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_no_word_the_glossary_avoids(lang):
    found = [(where, pattern) for where, text in _texts(lang) for pattern in AVOID[lang]
             if re.search(pattern, text, re.IGNORECASE)]
    assert not found, found


def test_glossary_names_the_ngo_terms():
    text = GLOSSARY.read_text(encoding="utf-8")
    assert "| NGO (non-governmental organisation) | НПО" in text and "ҮЕҰ" in text
    for term in ("beneficiaries", "grant", "reserves", "donor", "state social contract", "inspection",
                 "foreign agent", "capacity", "maturity", "finding", "recommendation"):
        assert f"| {term}" in text, term


def test_ngo_is_named_as_the_glossary_says():
    assert "НПО" in i18n.form_title("ru")
    assert "ҮЕҰ" in i18n.form_title("kk")
    assert i18n.translation("ru").pgettext("audience", "NGO") == "НПО"
    assert i18n.translation("kk").pgettext("audience", "NGO") == "ҮЕҰ"


def test_kazakh_numbers_carry_no_glued_case_ending():
    glued = re.compile(r"(\{[a-z_]+\}|\d+ ?%?)-(ға|ге|қа|ке|да|де|та|те|дан|ден|тан|тен|нан|нен|ның|нің|дың|дің|тың|тің|ны|ні|ды|ді|ты|ті|мен|бен|пен)\b")
    found = [(where, text) for where, text in _texts("kk") if glued.search(text)]
    assert not found, found


def _rule_texts(lang: str) -> list[tuple[str, str]]:
    """The ``lang`` texts of every rule and module file's ``i18n`` block."""
    import yaml

    out: list[tuple[str, str]] = []
    rules = SRC.parents[1] / "rules"

    def walk(where: str, value: object) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{where}.{key}", inner)
        elif isinstance(value, list):
            for i, inner in enumerate(value):
                walk(f"{where}.{i}", inner)
        elif isinstance(value, str):
            out.append((where, value))

    for path in sorted(rules.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        block = (data or {}).get("i18n", {}) if isinstance(data, dict) else {}
        if isinstance(block, dict) and lang in block:
            walk(str(path.relative_to(rules)), block[lang])
    return out


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_rule_texts_follow_the_glossary(lang):
    """The rule base's own texts (the lead's): reported as a skip until they follow it."""
    glued = re.compile(r"(\{[a-z_]+\}|\d+ ?%?)-(ға|ге|қа|ке|да|де|та|те|дан|ден|тан|тен|нан|нен|ның|нің|дың|дің|тың|тің|ны|ні|ды|ді|ты|ті|мен|бен|пен|ы|і)\b")
    texts = _rule_texts(lang)
    assert texts, "no rule carries an i18n block: this test must not pass vacuously"
    found = [(where, pattern) for where, text in texts for pattern in AVOID[lang] if re.search(pattern, text)]
    if lang == "kk":
        found += [(where, m.group(0)) for where, text in texts for m in [glued.search(text)] if m]
    if found:
        pytest.skip(f"{len(found)} rule texts ({lang}) do not follow GLOSSARY.md yet, e.g. {found[:3]}")
