"""`trombi serve` (what `make serve` runs) serves the demo organisation over HTTP."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import REPO

TROMBI = Path(sys.executable).parent / "trombi"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_shows_the_demo_site() -> None:
    port = _free_port()
    server = subprocess.Popen([TROMBI, "serve", "--root", REPO, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/people/kbenali/", timeout=5) as response:
                    body = response.read().decode("utf-8")
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.3)
        assert "Karim Benali" in body, (server.stdout.read().decode() if server.poll() is not None and server.stdout else "no answer")
    finally:
        server.terminate()
        server.wait(timeout=20)
