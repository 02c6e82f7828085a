"""Start Voila on a free port; where Chromium is; where artifacts go."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(proc: subprocess.Popen[bytes], url: str, what: str) -> subprocess.Popen[bytes]:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
        except urllib.error.HTTPError:
            return proc  # the server answers (404 for a bare folder is fine)
        except OSError:
            time.sleep(0.3)
            continue
        return proc
    proc.kill()
    raise RuntimeError(f"{what} did not start: {url}")


def _start(argv: list[str], log_name: str, ready_url: str, what: str) -> subprocess.Popen[bytes]:
    """Start a server from the repository's root; the template is found in the repository
    even if it was not installed into the venv."""
    log = open(ARTIFACTS / log_name, "wb")  # noqa: SIM115 - closed with the process
    env = dict(os.environ, JUPYTER_PATH=str(REPO / "share" / "jupyter"))
    proc = subprocess.Popen(argv, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    return _wait_until_up(proc, ready_url, what)


def start_jupyter_server(
    port: int, base_url: str = "/user/test/", *extra: str
) -> subprocess.Popen[bytes]:
    """Jupyter Server at the repository's root with Voila as its extension, as on Binder
    (where readers open ``<base_url>voila/render/notebooks/aleppo.ipynb``)."""
    argv = [
        str(Path(sys.executable).with_name("jupyter")),
        "server",
        "--no-browser",
        "--allow-root",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port_retries=0",
        f"--ServerApp.base_url={base_url}",
        "--IdentityProvider.token=",
        *extra,
    ]
    ready = f"http://127.0.0.1:{port}{base_url}api"
    return _start(argv, f"jupyter-server-{port}.log", ready, "Jupyter Server")


def start_voila(
    notebook: str, port: int, *extra: str, gated: bool = False
) -> subprocess.Popen[bytes]:
    """Voila on ``notebook``; ``gated``: behind the crowd gate, as ``make app`` runs it."""
    command = (
        [sys.executable, "-m", "frontlines.serve"]
        if gated
        else [str(Path(sys.executable).with_name("voila"))]
    )
    argv = [
        *command,
        notebook,
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        *extra,
    ]
    ready = f"http://127.0.0.1:{port}/voila/static/"
    return _start(argv, f"voila-{port}.log", ready, "Voila")


def start_static(folder: Path, port: int) -> subprocess.Popen[bytes]:
    """``python -m http.server`` serving ``folder`` (any static host would do)."""
    argv = [
        sys.executable,
        "-m",
        "http.server",
        str(port),
        "--bind",
        "127.0.0.1",
        "--directory",
        str(folder),
    ]
    return _start(argv, f"static-{port}.log", f"http://127.0.0.1:{port}/", "a static server")
