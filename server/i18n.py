"""Languages of the pages and kiosk: Flask-Babel gettext catalogues, one per language.

Templates write `{{ _("English text") }}`; browser modules call `t("English text")` from
common.js, which looks the text up in the catalogue the page embeds (see `js_catalogue`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_babel import Babel, get_locale

TRANSLATIONS = Path(__file__).with_name("translations")
# Code → the language's own name, shown in the picker.
LANGUAGES = {"en": "English"}
COOKIE = "lang"


def select_locale() -> str:
    """The browser's chosen language (cookie), else its best Accept-Language match."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def js_catalogue() -> dict[str, str]:
    """The current language's messages for browser modules (English needs none)."""
    return {}


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=select_locale)

    @app.context_processor
    def _languages() -> dict[str, Any]:
        return {"languages": LANGUAGES, "lang": str(get_locale() or "en"),
                "js_catalogue": js_catalogue()}
