"""deploy/nginx.conf wrapped in a runnable main config on our ports (tests and bench/ingest.py)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def nginx_conf(work: Path, listen: int, upstreams: list[int], *,
               connections: int = 256) -> Path:
    """Write the shipped site, its upstreams replaced by `upstreams`, as work/nginx.conf."""
    site = (REPO / "deploy" / "nginx.conf").read_text()
    site = re.sub(r"    server 127\.0\.0\.1:\d+;\n", "", site)
    servers = "".join(f"    server 127.0.0.1:{p};\n" for p in upstreams)
    site = site.replace("    ip_hash;", "    ip_hash;\n" + servers.rstrip("\n"), 1)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(f"""daemon off; pid {work}/nginx.pid; error_log {work}/error.log;
worker_processes 1;
events {{ worker_connections {connections}; }}
http {{
  access_log off;
  client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
{site}
}}
""")
    return conf
