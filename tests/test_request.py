"""Waiting for the reader's request in a preheated kernel (a local websocket stands in for
Voila)."""

from __future__ import annotations

import asyncio
import json
import socket
import threading

from frontlines.request import query_url, wait_for_request


def test_not_preheated_returns_at_once():
    env = {"VOILA_PREHEAT": "False", "QUERY_STRING": "date=2016-09-10"}
    assert wait_for_request(env) is False
    assert env["QUERY_STRING"] == "date=2016-09-10"


def test_query_url_uses_voila_settings():
    env = {
        "VOILA_PREHEAT": "True",
        "VOILA_APP_IP": "127.0.0.1",
        "VOILA_APP_PORT": "9999",
        "VOILA_SERVER_URL": "/base/",
        "VOILA_KERNEL_ID": "abc",
    }
    assert query_url(env) == "ws://127.0.0.1:9999/base/voila/query/abc"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_request_details_arrive_over_the_websocket():
    import websockets

    port = _free_port()
    seen: list[str] = []
    ready = threading.Event()
    stop: asyncio.Future | None = None

    async def handler(ws):
        seen.append(ws.request.path)
        await ws.send(json.dumps({"QUERY_STRING": "chapter=siege", "SCRIPT_NAME": "/"}))

    async def serve():
        nonlocal stop
        stop = asyncio.get_running_loop().create_future()
        async with websockets.serve(handler, "127.0.0.1", port):
            ready.set()
            await stop

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    ready.wait(10)
    env = {"VOILA_PREHEAT": "True", "VOILA_APP_PORT": str(port), "VOILA_KERNEL_ID": "k9"}
    try:
        assert wait_for_request(env) is True
    finally:
        loop.call_soon_threadsafe(stop.set_result, None)
        thread.join(10)
    assert env["QUERY_STRING"] == "chapter=siege" and env["SCRIPT_NAME"] == "/"
    assert seen == ["/voila/query/k9"]


def test_refused_connection_keeps_defaults():
    env = {"VOILA_PREHEAT": "True", "VOILA_APP_PORT": str(_free_port()), "VOILA_KERNEL_ID": "x"}
    assert wait_for_request(env) is False
    assert "QUERY_STRING" not in env
