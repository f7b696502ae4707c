"""What every renderer is given besides the view: the language and its translations.

Made once in the CLI (``RenderContext.for_language``) and passed down; renderers never read
the process-wide language. Terminal renderers also read ``width`` (None: the console's own).
"""

from __future__ import annotations

import gettext as _gettext
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RenderContext:
    lang: str = "en"
    translations: _gettext.NullTranslations = field(default_factory=_gettext.NullTranslations)
    width: int | None = None

    @classmethod
    def for_language(cls, lang: str, width: int | None = None) -> RenderContext:
        from advisor.i18n import LANGUAGES, translation

        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
        return cls(lang=lang, translations=translation(lang), width=width)

    def tr(self, message: str) -> str:
        """Translate one interface label or sentence (English msgid)."""
        return self.translations.gettext(message)

    def ntr(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)


ENGLISH = RenderContext()
