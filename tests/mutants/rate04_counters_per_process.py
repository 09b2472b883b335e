"""Each process keeps its own counters: spread over two processes, a client gets two budgets.

The second process is a peer server started here, in a thread, on a fixed loopback port
that PROFILE names (RATE-04 needs a target made of more than one process).
"""

import threading
import time

import uvicorn

from tests.mutants._base import reference

CAUGHT_BY = frozenset({"RATE-04"})
PROFILE = '[rate_limit]\npeer_urls = ["http://127.0.0.1:47604"]'
PEER_PORT = 47604

app = reference()
peer = uvicorn.Server(
    uvicorn.Config(
        reference(),
        host="127.0.0.1",
        port=PEER_PORT,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        log_level="warning",
    )
)
threading.Thread(target=peer.run, name="rate04-peer", daemon=True).start()
deadline = time.monotonic() + 15
while not peer.started:
    if time.monotonic() > deadline:
        raise RuntimeError(f"the peer server did not start on port {PEER_PORT}")
    time.sleep(0.05)
