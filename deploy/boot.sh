#!/usr/bin/env bash
# Server boot: migrate, then hand the process to gunicorn (systemd runs this).
set -euo pipefail
floorline db upgrade
exec gunicorn -c "$(dirname "$0")/gunicorn.conf.py" server.wsgi:app
