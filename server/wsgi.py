"""The serving app: gunicorn's entry (`gunicorn -c deploy/gunicorn.conf.py server.wsgi:app`)
and `python -m server.serve`'s, so both processes are prepared alike."""

from .app import create_app
from .checkpoints import checkpoint_in_background
from .heap import settle

app = create_app()
checkpoint_in_background(app.extensions["floorline"].engine)
settle()
