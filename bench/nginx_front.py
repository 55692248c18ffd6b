"""deploy/nginx.conf in front of bench/ingest.py's server processes, as a plant runs it.

The shipped config keeps clients sticky with `ip_hash`, which keys on the first three octets of
the client's IPv4 address. Every bench client is on this machine, so each station connects from
an address of its own in 127.0.0.0/8 (all of it is loopback on Linux), chosen so that nginx's
hash sends station i to process i % N and the /live listener to the first: the same spread as
without nginx, now through it. The connections nginx holds to each process are counted from
/proc/net/tcp to check that the spread is the one intended.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import requests

from tests.support.nginx import nginx_conf


def ip_hash(octets: tuple[int, int, int], peers: int) -> int:
    """Return the peer nginx's ip_hash picks first for a /24 (ngx_http_upstream_ip_hash)."""
    value = 89
    for octet in octets:
        value = (value * 113 + octet) % 6271
    return value % peers


def source_addresses(stations: int, peers: int) -> tuple[str, list[str]]:
    """Return the /live listener's address (to peer 0) and station i's (to peer i % peers)."""
    free: list[list[str]] = [[] for _ in range(peers)]
    for b in range(256):
        for c in range(1, 256):
            free[ip_hash((127, b, c), peers)].append(f"127.{b}.{c}.1")
    if any(len(addresses) < stations // peers + 2 for addresses in free):
        raise SystemExit(f"not enough loopback /24s to spread {stations} stations")
    listener = free[0].pop()
    return listener, [free[i % peers].pop() for i in range(stations)]


def start_nginx(work: Path, listen: int, upstreams: list[int]) -> subprocess.Popen[bytes]:
    """Start nginx in the foreground on `listen`, in front of the given ports."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("--nginx needs nginx (make sysdeps installs nginx-light)")
    conf = nginx_conf(work, listen, upstreams, connections=4096)
    proc = subprocess.Popen([nginx, "-c", str(conf), "-p", str(work)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if proc.poll() is not None:
            raise SystemExit(f"nginx exited: {(work / 'error.log').read_text()[-500:]}")
        try:
            requests.get(f"http://127.0.0.1:{listen}/healthz", timeout=1)
            return proc
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("nginx did not start")


def children(pid: int) -> list[int]:
    """Return a process's child pids (nginx's workers)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def connections_to(ports: list[int]) -> list[int]:
    """Count established TCP connections to each local port (nginx's to each process)."""
    counts = dict.fromkeys(ports, 0)
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        remote, state = parts[2], parts[3]
        port = int(remote.rsplit(":", 1)[1], 16)
        if state == "01" and port in counts:
            counts[port] += 1
    return [counts[p] for p in ports]
