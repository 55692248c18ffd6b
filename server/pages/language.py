"""The language picker's endpoint: remember the browser's language in a cookie."""

from __future__ import annotations

from flask import redirect, request
from werkzeug.wrappers import Response

from ..api.auth import check_csrf
from ..i18n import COOKIE, LANGUAGES
from .views import _safe_next, bp

ONE_YEAR = 365 * 24 * 3600


@bp.post("/language")
def set_language() -> Response:
    """Set the `lang` cookie to a known language and go back to the page it was picked on."""
    check_csrf()
    response = redirect(_safe_next(request.form.get("next")))
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=ONE_YEAR, samesite="Lax",
                            secure=request.is_secure, httponly=True)
    return response
