"""`python -m server.serve`: the development server, gevent-patched before anything else loads."""

import os

# Greenlets record who spawned them only for debugging; every Socket.IO event spawns one.
os.environ.setdefault("GEVENT_TRACK_GREENLET_TREE", "false")

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import logging  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the Floorline server (gevent).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from gevent import pywsgi

    from .listen import listener
    from .wsgi import app  # made, checkpointed and settled as gunicorn's is

    pywsgi.WSGIServer(listener(args.host, args.port), app, log=None).serve_forever()


if __name__ == "__main__":
    main()
