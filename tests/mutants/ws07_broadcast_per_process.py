"""Broadcasts stay in their process: clients of another server process never hear them.

The second process is a peer server started here, in a thread, on a fixed loopback port
that PROFILE names (WS-07 needs a target made of more than one process). Both use the
in-memory backend, which is what a multi-process deployment must not use.
"""

import threading
import time

import uvicorn

from tests.mutants._base import reference

CAUGHT_BY = frozenset({"WS-07"})
PROFILE = '[websockets]\npeer_urls = ["http://127.0.0.1:47607"]'
PEER_PORT = 47607

app = reference(broadcast_backend="memory")
peer = uvicorn.Server(
    uvicorn.Config(
        reference(broadcast_backend="memory"),
        host="127.0.0.1",
        port=PEER_PORT,
        log_level="warning",
    )
)
threading.Thread(target=peer.run, name="ws07-peer", daemon=True).start()
deadline = time.monotonic() + 15
while not peer.started:
    if time.monotonic() > deadline:
        raise RuntimeError(f"the peer server did not start on port {PEER_PORT}")
    time.sleep(0.05)
