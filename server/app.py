"""The Flask application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from . import settings as settings_module
from .runtime import Runtime
from .settings import Settings


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, where a body nested too deeply to parse is invalid JSON, not a crash."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as err:
            raise ValueError("JSON nested too deeply") from err


def create_app(config: Settings | dict[str, Any] | None = None) -> Flask:
    """Create the Floorline server app from settings (or overrides of the loaded settings)."""
    settings = config if isinstance(config, Settings) else settings_module.load(**(config or {}))
    app = Flask(__name__, instance_path=None, template_folder="../kiosk_ui/templates",
                static_folder="../kiosk_ui/static")
    app.json = JSONProvider(app)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        JSON_SORT_KEYS=False,
    )
    runtime = Runtime.start(settings)
    app.extensions["floorline"] = runtime

    from .api import bp as api_bp
    from .api.auth import drop_ended_session
    from .api.errors import register_error_handlers
    from .health import bp as health_bp
    from .i18n import init_i18n
    from .pages import bp as pages_bp
    from .pages.security import add_base_headers

    init_i18n(app)
    app.register_blueprint(api_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(pages_bp)
    register_error_handlers(app)
    app.before_request(drop_ended_session)
    app.after_request(add_base_headers)

    from .printing import LabelPrinting
    from .realtime import init_realtime
    app.extensions["floorline_printing"] = LabelPrinting(settings)
    init_realtime(app, runtime)
    return app


def runtime_of(app: Flask) -> Runtime:
    runtime: Runtime = app.extensions["floorline"]
    return runtime
