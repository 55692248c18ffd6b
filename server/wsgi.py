"""WSGI entry for gunicorn: `gunicorn -c deploy/gunicorn.conf.py server.wsgi:app`."""

from .app import create_app

app = create_app()
