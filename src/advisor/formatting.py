"""Numbers, money, percentages and dates in the reader's language, formatted by Babel (CLDR).

``format_number(50_000_000, "ru")`` gives ``50 000 000`` (narrow no-break spaces), decimal
commas in Russian and Kazakh; ``format_money(50_000_000, "KZT", "ru")`` gives
``50 000 000 ₸`` (``50,000,000 KZT`` in English). Nothing here is written by hand: the separators, the symbol and its place
come from the CLDR data Babel ships. ``lang`` defaults to the current language.
"""

from __future__ import annotations

import datetime as _dt
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

    grouped = abs(float(value)) >= group_from
    pattern = ("#,##0" if grouped else "0") + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale(_lang(lang)))


def format_money(amount: float | int | Decimal, currency: str | None, lang: str | None = None) -> str:
    """An amount with its currency: ``50 000 000 ₸`` (ru/kk), ``50,000,000 KZT`` (en); whole
    amounts without decimals. Without a currency, just the number."""
    from babel.numbers import format_currency

    loc = _locale(_lang(lang))
    if not currency:
        return format_number(amount, lang, digits=0 if float(amount).is_integer() else 2)
    whole = float(amount).is_integer()
    # English puts the ISO code after the number (50,000,000 KZT), as the CLDR symbol
    # for most currencies there is the code itself glued in front ("KZT50,000,000").
    pattern = "#,##0.00\u00a0¤¤" if loc.language == "en" else loc.currency_formats["standard"].pattern
    if whole:
        pattern = pattern.replace(".00", "")
    return format_currency(amount, currency, format=pattern, locale=loc, currency_digits=not whole)


def format_percent(value: float | int, lang: str | None = None, *, ratio: bool = False) -> str:
    """A percentage: ``40 %`` (ru/kk), ``40%`` (en). ``value`` is in percent (40 for 40 %),
    or a ratio (0.4) when ``ratio`` is true."""
    from babel.numbers import format_percent as _format_percent

    fraction = value if ratio else value / 100
    loc = _locale(_lang(lang))
    pattern = loc.percent_formats[None].pattern.replace("#,##0", "#,##0.#", 1)
    return _format_percent(fraction, format=pattern, locale=loc)


def format_date(value: _dt.date, lang: str | None = None) -> str:
    """A date in the language's medium form: ``2 Dec 2026``, ``2 дек. 2026 г.``."""
    from babel.dates import format_date as _format_date

    return _format_date(value, format="medium", locale=_locale(_lang(lang)))
