"""WSGI entry for gunicorn: `gunicorn -c deploy/gunicorn.conf.py server.wsgi:app`."""

from .app import create_app
from .checkpoints import checkpoint_in_background
from .heap import settle

app = create_app()
checkpoint_in_background(app.extensions["floorline"].engine)
settle()
