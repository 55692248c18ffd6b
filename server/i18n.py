"""Languages of the pages and kiosk: Flask-Babel gettext catalogues, one per language.

Templates write `{{ _("English text") }}`; browser modules call `t("English text")` from
common.js, which looks the text up in the catalogue the page embeds (see `js_catalogue`).
Each language is `translations/<code>/LC_MESSAGES/messages.po`; its compiled `.mo` is made by
`make translations` (not kept in git). Without a fresh `.mo` the `.po` is compiled in memory,
so the app starts from a fresh clone too.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, request
from flask_babel import Babel, Domain, get_locale

TRANSLATIONS = Path(__file__).with_name("translations")
DOMAIN = "messages"
# Code → the language's own name, shown in the picker.
LANGUAGES = {"en": "English", "de": "Deutsch"}
COOKIE = "lang"
# Where the messages browser modules need come from (paths as the .po's locations name them).
BROWSER_SOURCES = ("kiosk_ui/static/js/", "server/kiosk_messages.py")


def select_locale() -> str:
    """The browser's chosen language (cookie), else its best Accept-Language match."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def po_path(directory: Path, lang: str) -> Path:
    return directory / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


class Catalogues:
    """Each language's catalogue, read once: gettext translations and the browser's share."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._gettext: dict[str, NullTranslations] = {}
        self._browser: dict[str, dict[str, str]] = {}
        self._po: dict[str, Catalog | None] = {}

    def _catalog(self, lang: str) -> Catalog | None:
        if lang not in self._po:
            po = po_path(self.directory, lang)
            self._po[lang] = None
            if po.exists():
                with po.open("rb") as fp:
                    self._po[lang] = read_po(fp, locale=lang)
        return self._po[lang]

    def gettext(self, lang: str) -> NullTranslations:
        """Return lang's translations: the .mo when it is fresh, else the .po compiled now."""
        if lang not in self._gettext:
            po = po_path(self.directory, lang)
            mo = po.with_suffix(".mo")
            if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
                with mo.open("rb") as fp:
                    self._gettext[lang] = Translations(fp, domain=DOMAIN)
            elif (catalog := self._catalog(lang)) is not None:
                buffer = BytesIO()
                write_mo(buffer, catalog)
                buffer.seek(0)
                self._gettext[lang] = Translations(buffer, domain=DOMAIN)
            else:
                self._gettext[lang] = NullTranslations()
        return self._gettext[lang]

    def browser(self, lang: str) -> dict[str, str]:
        """Return lang's translations of the messages browser modules show."""
        if lang not in self._browser:
            catalog = self._catalog(lang)
            self._browser[lang] = {} if catalog is None else {
                str(m.id): str(m.string) for m in catalog
                if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
                and any(path.startswith(BROWSER_SOURCES) for path, _ in m.locations)}
        return self._browser[lang]


class CatalogueDomain(Domain):  # type: ignore[misc]
    """Flask-Babel's message domain, served from `Catalogues` (so a missing .mo is no failure)."""

    def __init__(self, catalogues: Catalogues) -> None:
        super().__init__(domain=DOMAIN)
        self.catalogues = catalogues

    def get_translations(self) -> NullTranslations:
        locale = get_locale()
        if locale is None:
            return NullTranslations()
        return self.catalogues.gettext(str(locale))


def _catalogues() -> Catalogues:
    catalogues: Catalogues = current_app.extensions["floorline_i18n"]
    return catalogues


def current_language() -> str:
    return str(get_locale() or "en")


def js_catalogue() -> dict[str, str]:
    """The current language's messages for browser modules (English needs none)."""
    lang = current_language()
    return {} if lang == "en" else _catalogues().browser(lang)


def init_i18n(app: Flask) -> None:
    directory = Path(app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS)))
    catalogues = Catalogues(directory)
    app.extensions["floorline_i18n"] = catalogues
    babel = Babel(app, locale_selector=select_locale)
    babel.domain_instance = CatalogueDomain(catalogues)

    @app.context_processor
    def _languages() -> dict[str, Any]:
        return {"languages": LANGUAGES, "lang": current_language(),
                "js_catalogue": js_catalogue()}
