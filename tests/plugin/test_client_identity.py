"""Each check's client has an identity of its own, in-process and over sockets."""

from __future__ import annotations

import pytest
from plugin_testing import ALL_MODES, run

pytestmark = pytest.mark.usefixtures("project")

CHECKS = """
import ipaddress

from pytest_conformance import check

SEEN = []


def seen_by_the_app(client, target):
    host = client.get("/whoami").json()["host"]
    assert ipaddress.ip_address(host) in ipaddress.ip_network("10.0.0.0/8"), host
    if target.mode == "serve":  # over sockets the identity travels as X-Forwarded-For
        assert client.headers["X-Forwarded-For"] == host
    return host


@check("RATE-01", "a first client", ref="Ex 1")
def test_first(client, target):
    SEEN.append(seen_by_the_app(client, target))


@check("RATE-02", "a second client, another identity", ref="Ex 1")
def test_second(client, target):
    SEEN.append(seen_by_the_app(client, target))
    assert len(SEEN) == 2
    assert SEEN[0] != SEEN[1]


@check("RATE-03", "an identity chosen by the check", ref="Ex 1")
def test_chosen(target):
    with target.client(identity="10.1.2.3") as chosen:
        assert chosen.get("/whoami").json() == {"host": "10.1.2.3"}
"""


@pytest.mark.parametrize("mode", ALL_MODES)
def test_each_client_has_its_own_identity(pytester: pytest.Pytester, mode: str) -> None:
    pytester.makepyfile(test_checks=CHECKS)
    result = run(pytester, *ALL_MODES[mode], "-p", "no:randomly")
    result.assert_outcomes(passed=3)
