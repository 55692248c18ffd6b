"""HTML pages: kiosk, dashboard, runs and login; templates and assets live in kiosk_ui/."""

from ..errors import FloorlineError
from . import setup_catalog, views
from .security import add_security_headers
from .views import bp

bp.after_request(add_security_headers)
bp.register_error_handler(FloorlineError, views.error_page)

__all__ = ["bp", "setup_catalog", "views"]
