"""The served target's listening socket: every connection it accepts sends without delay."""

from __future__ import annotations

import socket

from pytest_conformance.targets.served import _bound_socket


def test_accepted_connections_have_tcp_nodelay() -> None:
    with _bound_socket() as listener:
        listener.listen()
        assert listener.proto == socket.IPPROTO_TCP  # asyncio sets TCP_NODELAY only then
        with socket.create_connection(listener.getsockname()):
            accepted, _ = listener.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
