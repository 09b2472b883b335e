"""WebSocket broadcast fan-out of the served reference app: 100 against 1,000 clients.

Starts the reference app with uvicorn on a free loopback port (a subprocess), connects N
chat clients, and times a broadcast from one of them: from the send until the last client
has received it. Prints the median over ``--rounds`` broadcasts per N, side by side, and
the ratio (linear fan-out gives about 10). Every wait is bounded. Usage::

    python bench/ws_fanout.py [--rounds 5] [--sizes 100 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from websockets.asyncio.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support import REPO_ROOT, reference_env

START_TIMEOUT = 30.0
ROUND_TIMEOUT = 60.0  # one broadcast to every client
CONNECT_BATCH = 100


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _raise_file_limit(wanted: int) -> None:
    """Each client holds a socket here and one in the server (which inherits the limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


@contextlib.contextmanager
def _served(tmp_path: Path) -> Iterator[int]:
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "reference_app:app", "--port", str(port),
               "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=reference_env(tmp_path, shipped_hash=True)
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit("the reference app did not start")
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _until(client: ClientConnection, wanted: str) -> None:
    while await client.recv() != wanted:
        pass


async def _rounds(port: int, size: int, rounds: int) -> list[float]:
    """Seconds from one send to the last of ``size`` clients receiving it, per round."""
    base = 10**9 * size  # ids of their own per size, so runs never see each other
    async with contextlib.AsyncExitStack() as stack:
        clients: list[ClientConnection] = []
        for start in range(0, size, CONNECT_BATCH):
            batch = range(start, min(start + CONNECT_BATCH, size))
            async with asyncio.timeout(START_TIMEOUT):
                clients += await asyncio.gather(
                    *(
                        stack.enter_async_context(
                            connect(f"ws://127.0.0.1:{port}/ws/{base + index}", max_queue=None)
                        )
                        for index in batch
                    )
                )
        timings = []
        for number in range(rounds):
            text = f"round-{number}"
            wanted = f"[Client {base}] {text}"
            started = time.perf_counter()
            await clients[0].send(text)
            async with asyncio.timeout(ROUND_TIMEOUT):
                await asyncio.gather(*(_until(client, wanted) for client in clients))
            timings.append(time.perf_counter() - started)
        return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    options = parser.parse_args()
    _raise_file_limit(max(options.sizes) + 256)
    medians: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp, _served(Path(tmp)) as port:
        for size in options.sizes:
            timings = asyncio.run(_rounds(port, size, options.rounds))
            medians[size] = statistics.median(timings)
    first = options.sizes[0]
    print(f"broadcast fan-out, send to last receipt, median of {options.rounds} (loopback)")
    print(f"  {'clients':>8} {'median':>10} {'per client':>12} {'ratio':>7}")
    for size, median in medians.items():
        print(
            f"  {size:>8} {median * 1000:>8.1f} ms {median / size * 1e6:>9.1f} µs "
            f"{median / medians[first]:>7.2f}"
        )


if __name__ == "__main__":
    main()
