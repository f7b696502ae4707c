"""Numbers, money and percentages for people, in their language (Babel, CLDR data).

One function per kind; reports and templates call these and never format numbers by hand.
``lang`` is an advisor language code (en, ru, kk).
"""

from __future__ import annotations

import re
from decimal import Decimal

_LOCALES = {"en": "en", "ru": "ru", "kk": "kk"}


def _locale(lang: str) -> str:
    return _LOCALES.get(lang, "en")


def format_number(value: float | int | Decimal, lang: str) -> str:
    """A plain number: grouping for the language, at most two decimals, no trailing zeros."""
    from babel.numbers import format_decimal

    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(format_decimal(value, format="#,##0.##", locale=_locale(lang)))


def format_money(amount: float | int | Decimal, currency: str | None, lang: str) -> str:
    """An amount in whole units with its ISO 4217 code where the language puts it
    (``USD 50,000`` in English, ``50 000 000 KZT`` in Russian and Kazakh)."""
    from babel import Locale
    from babel.numbers import format_currency

    if not currency:
        return format_number(round(amount), lang)
    pattern = Locale.parse(_locale(lang)).currency_formats["standard"].pattern.split(";")[0]
    # the ISO code (¤¤) instead of a symbol, whole units, and a space between code and digits
    pattern = re.sub(r"\.0+", "", pattern).replace("¤", "¤¤")
    pattern = pattern.replace("¤¤#", "¤¤\u00a0#").replace("0¤¤", "0\u00a0¤¤")
    return str(format_currency(amount, currency, format=pattern, currency_digits=False, locale=_locale(lang)))


def format_percent(value: float | int, lang: str, *, ratio: bool = False) -> str:
    """A percentage (``45%`` / ``45 %``): ``value`` in percent (45), or a ratio (0.45) when
    ``ratio`` is true."""
    from babel.numbers import format_percent as babel_percent

    return str(babel_percent(value if ratio else value / 100, locale=_locale(lang)))
