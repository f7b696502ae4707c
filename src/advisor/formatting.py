"""Numbers, money, percentages and dates in the reader's language, formatted by Babel (CLDR).

One function per kind; reports and templates call these and never format numbers by hand.
``format_number(50_000_000, "ru")`` gives ``50 000 000`` (no-break spaces), decimal commas in
Russian and Kazakh; ``format_money(50_000_000, "KZT", "ru")`` gives ``50 000 000 KZT``
(``KZT 50,000,000`` in English). The separators and the code's place come from the CLDR data
Babel ships. ``lang`` is an advisor language code (en, ru, kk), by default the current one.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

# The CLDR locale each advisor language is formatted with.
# Russian as written in Kazakhstan (ru_KZ: the tenge is ₸).
LOCALES: dict[str, str] = {"en": "en", "ru": "ru_KZ", "kk": "kk_KZ"}


@cache
def _locale(lang: str | None) -> Locale:
    from babel import Locale

    if lang is None:
        from advisor.i18n import current_language

        lang = current_language()
    return Locale.parse(LOCALES.get(lang, "en"))


def _lang(lang: str | None) -> str:
    if lang is None:
        from advisor.i18n import current_language

        return current_language()
    return lang


def format_number(value: float | int | Decimal, lang: str | None = None, *, digits: int = 2,
                  group_from: int = 0) -> str:
    """A number with the language's grouping and decimal separator, at most ``digits``
    decimals and no trailing zeros (``4.0`` reads ``4``). Numbers below ``group_from`` are
    not grouped (``group_from=10_000``: years and other four-digit numbers read 1900)."""
    from babel.numbers import format_decimal

    if isinstance(value, float) and value.is_integer():
        value = int(value)
    grouped = abs(float(value)) >= group_from
    pattern = ("#,##0" if grouped else "0") + ("." + "#" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=_locale(_lang(lang))))


def format_money(amount: float | int | Decimal, currency: str | None, lang: str | None = None) -> str:
    """An amount in whole units with its ISO 4217 code where the language puts it
    (``USD 50,000`` in English, ``50 000 000 KZT`` in Russian and Kazakh). Without a
    currency, just the number."""
    from babel.numbers import format_currency

    loc = _locale(_lang(lang))
    if not currency:
        return format_number(round(amount), lang)
    pattern = loc.currency_formats["standard"].pattern.split(";")[0]
    # the ISO code (¤¤) instead of a symbol, whole units, and a space between code and digits
    pattern = re.sub(r"\.0+", "", pattern).replace("¤", "¤¤")
    pattern = pattern.replace("¤¤#", "¤¤\u00a0#").replace("0¤¤", "0\u00a0¤¤")
    return str(format_currency(amount, currency, format=pattern, currency_digits=False, locale=loc))


def format_percent(value: float | int, lang: str | None = None, *, ratio: bool = False) -> str:
    """A percentage, one decimal at most: ``45%`` (en), ``45 %`` (ru, kk). ``value`` is in
    percent (45), or a ratio (0.45) when ``ratio`` is true."""
    from babel.numbers import format_percent as _format_percent

    loc = _locale(_lang(lang))
    pattern = loc.percent_formats[None].pattern.replace("#,##0", "#,##0.#", 1)
    return str(_format_percent(value if ratio else value / 100, format=pattern, locale=loc))


def format_date(value: _dt.date, lang: str | None = None) -> str:
    """A date in the language's medium form: ``2 Dec 2026``, ``2 дек. 2026 г.``."""
    from babel.dates import format_date as _format_date

    return _format_date(value, format="medium", locale=_locale(_lang(lang)))
