"""Wait for the reader's request in a preheated Voila kernel, without importing Voila.

With ``preheat_kernel``, Voila runs the notebook before any reader arrives; the request's
details (``QUERY_STRING``, ``SCRIPT_NAME``, ...) reach the kernel only when a reader takes it,
as one message on the websocket ``voila/query/<kernel id>``. ``voila.utils.wait_for_request``
does this too, but importing it loads Voila's server stack into every kernel (about 33 MB of
memory per reader, measured); this module needs only ``websockets``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
from collections.abc import MutableMapping

__all__ = ["query_url", "wait_for_request"]


def query_url(env: MutableMapping[str, str]) -> str | None:
    """The websocket URL on which Voila sends this kernel its request, or None if not preheated.

    Examples
    --------
    >>> query_url({"VOILA_PREHEAT": "False"}) is None
    True
    >>> query_url({"VOILA_PREHEAT": "True", "VOILA_APP_PORT": "8866", "VOILA_KERNEL_ID": "k1"})
    'ws://127.0.0.1:8866/voila/query/k1'
    """
    if env.get("VOILA_PREHEAT", "False") == "False":
        return None
    protocol = env.get("VOILA_WS_PROTOCOL", "ws")
    host = env.get("VOILA_APP_IP", "127.0.0.1")
    port = env.get("VOILA_APP_PORT", "8866")
    base = env.get("VOILA_WS_BASE_URL") or env.get("VOILA_SERVER_URL", "/")
    return f"{protocol}://{host}:{port}{base}voila/query/{env.get('VOILA_KERNEL_ID', '')}"


def wait_for_request(env: MutableMapping[str, str] | None = None, timeout: float = 3600) -> bool:
    """Block until Voila hands this kernel a request; copy its details into ``env``.

    Returns False at once when the kernel is not preheated (the details are already there),
    True once they have arrived, and False if the connection fails.
    """
    env = os.environ if env is None else env
    url = query_url(env)
    if url is None:
        return False
    received: list[str] = []

    async def receive() -> None:
        import websockets

        async with websockets.connect(url, open_timeout=10) as ws:
            received.append(await asyncio.wait_for(ws.recv(), timeout))

    def run() -> None:
        # Any failure (refused, timed out, closed) means no request: the app keeps its default.
        with contextlib.suppress(Exception):
            asyncio.run(receive())

    # The kernel's own event loop is running in this thread: talk from another one.
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join()
    if not received:
        return False
    for key, value in json.loads(received[0]).items():
        env[key] = str(value)
    return True
