"""Choosing the language (--lang anywhere, ADVISOR_LANG, the locale, Windows), the CLI's help
and click's messages in it, labels, and numbers formatted by Babel."""

from __future__ import annotations

import datetime
import re

import pytest
from click.testing import CliRunner

from advisor import i18n, labels
from advisor.cli import cli, split_lang_option
from advisor.formatting import format_date, format_money, format_number, format_percent

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
NO_LOCALE = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "", "ADVISOR_LANG": ""}


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.set_language("en")


def _run(args, **env):
    return CliRunner(env={**NO_LOCALE, **env}).invoke(cli, args)


@pytest.mark.parametrize("args", [
    ["--lang", "ru", "assess", "missing.yaml"],
    ["assess", "--lang", "ru", "missing.yaml"],
    ["assess", "missing.yaml", "--lang=ru"],
])
def test_lang_before_or_after_the_command(args):
    result = _run(args)
    assert result.exit_code == 2
    assert result.output == "advisor: ошибка: missing.yaml: файл не найден\n"


def test_split_lang_option_stops_at_double_dash():
    assert split_lang_option(["assess", "--lang", "kk", "p.yaml"]) == ("kk", ["assess", "p.yaml"])
    assert split_lang_option(["assess", "--", "--lang"]) == (None, ["assess", "--", "--lang"])


def test_advisor_lang_wins_over_the_locale_and_loses_to_the_option():
    assert "қате" in _run(["assess", "missing.yaml"], ADVISOR_LANG="kk", LANG="ru_RU.UTF-8").output
    assert "ошибка" in _run(["--lang", "ru", "assess", "missing.yaml"], ADVISOR_LANG="kk").output
    assert "ошибка" in _run(["assess", "missing.yaml"], LANG="ru_RU.UTF-8").output


@pytest.mark.parametrize("args, env, source", [
    (["--lang", "de", "assess", "x.yaml"], {}, "--lang"),
    (["assess", "x.yaml", "--lang", "xx"], {}, "--lang"),
    (["assess", "x.yaml"], {"ADVISOR_LANG": "fr"}, "ADVISOR_LANG"),
])
def test_unknown_language_is_a_usage_error(args, env, source):
    result = _run(args, **env)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "unknown language" in lines[0] and source in lines[0]
    assert "en, ru and kk" in lines[0]


def test_an_unknown_system_locale_is_english():
    assert i18n.resolve_language(None, {"LANG": "de_DE.UTF-8"}, platform="linux") == "en"
    assert i18n.resolve_language(None, {}, platform="linux") == "en"


def test_windows_language():
    # LCIDs: 0x0419 Russian, 0x043f Kazakh, 0x0407 German
    assert i18n.windows_language(0x0419) == "ru"
    assert i18n.windows_language(0x043F) == "kk"
    assert i18n.windows_language(0x0407, getlocale=lambda: ("de_DE", "cp1252")) is None
    assert i18n.windows_language(0x0407, getlocale=lambda: ("Kazakh_Kazakhstan", "1251")) == "kk"
    assert i18n.windows_language(0x0407, getlocale=lambda: (None, None)) is None

    def broken():
        raise ValueError("unknown locale")

    assert i18n.windows_language(0x0407, getlocale=broken) is None
    # Off Windows there is no windll: no crash, and the locale decides.
    assert i18n.windows_language(getlocale=lambda: ("ru_RU", "UTF-8")) in ("ru", None)
    assert i18n.resolve_language(None, {}, platform="win32") in i18n.LANGUAGES


def test_help_and_click_messages_are_translated():
    result = _run(["--lang", "kk", "assess", "--help"])
    assert result.exit_code == 0
    assert "Қолданылуы:" in result.output and "Параметрлер:" in result.output
    assert "Assess PROFILE" not in result.output and "Show this message" not in result.output
    wrong = _run(["assess", "--lang", "ru", "--bogus"])
    assert wrong.exit_code == 2 and "Нет такого параметра" in wrong.output
    english = _run(["assess", "--help"])
    assert "Assess PROFILE" in english.output and "Usage:" in english.output


def test_every_help_text_is_in_the_catalogue():
    import importlib

    from advisor.cli import COMMAND_MODULES
    from advisor.cli.help_i18n import CLICK_MESSAGES, help_messages

    for module in COMMAND_MODULES:
        importlib.import_module(module)

    for lang in ("ru", "kk"):
        tr = i18n.translation(lang)
        missing = [m for m in (*CLICK_MESSAGES, *help_messages(cli)) if tr.gettext(m) == m]
        assert not missing, (lang, missing)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_labels_are_translated(lang):
    from advisor.areas import AREA_KEYS, AREAS, DIAMOND

    assert [labels.area_title(k, "en") for k in AREA_KEYS] == [a.title for a in AREAS]
    for key in AREA_KEYS:
        assert CYRILLIC.search(labels.area_title(key, lang))
    for key in DIAMOND:
        assert CYRILLIC.search(labels.dimension_title(key, lang))
    for context, keys in labels._CONTEXT_LABELS.items():
        for key in keys:
            assert CYRILLIC.search(labels.label(context, key, lang)), (context, key)
    assert labels.maturity_label(3, "en") == "3 – moderate"
    assert labels.maturity_label(3, lang).startswith("3 – ") and CYRILLIC.search(labels.maturity_label(3, lang))
    assert labels.severity_label("high", lang) and labels.rating_label("High", lang)
    assert labels.yes_no(True, lang) != labels.yes_no(False, lang)


def test_display_answer_uses_labels_and_the_language():
    assert labels.display_answer("organisation.areas_served", ["urban", "peri_urban"], "en") == "Urban, Peri-urban"
    assert labels.display_answer("funding.annual_budget", 50_000_000, "ru") == "50\xa0000\xa0000"
    assert labels.display_answer("x.y", None, "kk") == "жауап жоқ"
    assert labels.display_answer("x.y", True, "ru") == "да"


def test_numbers_money_and_dates():
    assert format_number(50_000_000, "en") == "50,000,000"
    assert format_number(2.5, "ru") == "2,5" and format_number(2.5, "kk") == "2,5"
    assert format_number(4.0, "en") == "4"
    assert format_money(50_000_000, "KZT", "ru") == "50\xa0000\xa0000\xa0KZT"
    assert format_money(50_000_000, "KZT", "kk") == "50\xa0000\xa0000\xa0KZT"
    assert format_money(50_000_000, "KZT", "en") == "KZT\xa050,000,000"
    assert format_money(1234.5, "USD", "ru").startswith("1\xa0234")
    assert format_percent(0.4, "en", ratio=True) == "40%" and format_percent(40, "en") == "40%"
    assert format_percent(0.125, "ru", ratio=True).startswith("12,5")
    assert "2026" in format_date(datetime.date(2026, 12, 2), "kk")
    i18n.set_language("ru")
    assert format_number(1234.5) == "1\xa0234,5"


def test_four_digit_numbers_can_stay_ungrouped():
    assert format_number(1900, "ru", group_from=10_000) == "1900"
    assert format_number(2.5, "ru", group_from=10_000) == "2,5"
    assert format_number(10_000, "ru", group_from=10_000) == "10\xa0000"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_area_names_are_those_of_the_rating_questions(lang):
    from advisor.areas import AREA_KEYS

    for key in AREA_KEYS:
        if key == "context":  # its question asks about coping, not about an area's name
            continue
        name = labels.area_title(key, lang)
        assert f"«{name[0].lower()}{name[1:]}»" in i18n.question(f"ratings.{key}", lang), key


def test_lang_without_a_value():
    result = _run(["assess", "x.yaml", "--lang"])
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "--lang" in result.output
