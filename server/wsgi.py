"""WSGI entry for gunicorn: `gunicorn -c deploy/gunicorn.conf.py server.wsgi:app`."""

from .app import create_app
from .heap import settle

app = create_app()
settle()
