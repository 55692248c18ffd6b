"""gunicorn for one Floorline process: `gunicorn -c deploy/gunicorn.conf.py server.wsgi:app`.

One gevent worker per process: Socket.IO keeps a client's session in the process that
accepted it, so scale out with more processes (ports) behind nginx's ip_hash, sharing
broadcasts through FLOORLINE_MESSAGE_QUEUE=redis://... . gevent carried 1.6-2.9x the scans
of threading mode here at half the CPU.
"""

import os

# Greenlets record who spawned them only for debugging; every Socket.IO event spawns one.
# Set here, in the master, so that each worker's gevent reads it.
os.environ.setdefault("GEVENT_TRACK_GREENLET_TREE", "false")

bind = os.environ.get("FLOORLINE_BIND", "127.0.0.1:8001")
worker_class = "gevent"
workers = 1
worker_connections = 2000
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("FLOORLINE_LOG_LEVEL", "info")
