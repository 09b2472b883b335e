"""LIFE — lifespan, configuration and health (SPEC.md, tutorial Examples 40, 41, 55, 53).

LIFE-03 (refusing to start without secrets) happens before there is any HTTP to speak:
it is the reference app's own test, not a check of this suite. Beyond config-info, the
plugin searches every answer the suite receives for the profile's secrets and reports what
it finds as LIFE-02's run-wide findings (``conformance/findings::LIFE-02[…]``).
"""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

import httpx
from pytest_conformance import Profile, Target, check

from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import json_body
from conformance.assertions.secrets import assert_no_secrets
from conformance.authorized import signed_in

SECRET_LOOKING = re.compile(r"secret|password|passwd|token|jwt|private|(^|_)key($|_)", re.I)
CONFIG_TYPES = {"app_name": "str", "debug": "bool", "db_pool_size": "int"}


def _get(client: httpx.Client, profile: Profile, path: str, what: str) -> dict[str, Any]:
    """GET ``path`` expecting 200 JSON; every body is searched for the profile's secrets."""
    __tracebackhide__ = True
    response = client.get(path)
    assert_no_secrets(response, profile)
    if response.status_code != 200:
        mismatch(f"{what} does not answer", "status 200", response)
    return json_body(response, what)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


@check(
    "LIFE-01",
    "the model loaded at startup answers the first request",
    ref="Ex 40",
    needs=("lifecycle",),
)
def test_predict(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        data = f"life-{secrets.token_hex(4)}"
        response = client.get(conformance_profile.paths.predict, params={"data": data})
        assert_no_secrets(response, conformance_profile)
        want = {"result": f"prediction for: {data}"}
        if (
            response.status_code != 200
            or json_body(response, "/predict").get("result") != want["result"]
        ):
            mismatch("the startup-loaded model does not predict (LIFE-01)", f"200 {want}", response)


@check(
    "LIFE-01", "the database opened at startup is connected", ref="Ex 40, 55", needs=("lifecycle",)
)
def test_db_status(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        path = conformance_profile.paths.db_status
        body = _get(client, conformance_profile, path, path)
        if body.get("connected") is not True:
            mismatch("the database is not connected (LIFE-01)", '{"connected": true}',
                     client.get(path))  # fmt: skip


@check(
    "LIFE-02",
    "config-info shows harmless settings and no secret",
    ref="Ex 41",
    needs=("lifecycle",),
)
def test_config_info(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        response = client.get(conformance_profile.paths.config_info)
        assert_no_secrets(response, conformance_profile)
        if response.status_code != 200:
            mismatch("config-info does not answer (LIFE-02)", "status 200", response)
        body = json_body(response, "config-info")
        shape = {key: type(body.get(key)).__name__ for key in CONFIG_TYPES}
        if shape != CONFIG_TYPES:
            mismatch("config-info's settings (LIFE-02)", f"member types {CONFIG_TYPES}", response)
        suspicious = sorted(key for key in body if SECRET_LOOKING.search(key))
        if suspicious:
            mismatch(f"config-info exposes secret-looking settings {suspicious} (LIFE-02)",
                     "no secret, key or password among the settings shown", response)  # fmt: skip


@check("LIFE-04", "/health answers ok", ref="Ex 53", needs=("health",))
def test_health(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        path = conformance_profile.paths.health
        response = client.get(path)
        assert_no_secrets(response, conformance_profile)
        health = conformance_profile.health
        if health.form == "text":
            want = f"200 text/plain {health.text!r}"
            media = response.headers.get("content-type", "")
            if (
                response.status_code != 200
                or not media.startswith("text/plain")
                or (response.text.strip() != health.text)
            ):
                mismatch(f"{path} (LIFE-04, [health] form = 'text')", want, response)
            return
        try:
            body = json.loads(response.content)
        except ValueError:
            body = None
        healthy = (
            body is True
            if health.form == "true"
            else (isinstance(body, dict) and body.get("status") == "ok")
        )
        if response.status_code != 200 or not healthy:
            want = "200 true" if health.form == "true" else '200 {"status": "ok"}'
            mismatch(f"{path} (LIFE-04)", want, response)


@check(
    "LIFE-04",
    "liveness answers alive with an uptime",
    ref="Ex 53",
    needs=("health", "health_probes"),
)
def test_liveness(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        path = conformance_profile.paths.health_live
        body = _get(client, conformance_profile, path, path)
        if body.get("status") != "alive" or not _is_number(body.get("uptime")):
            mismatch("liveness shape (LIFE-04)", '200 {"status": "alive", "uptime": number >= 0}',
                     client.get(path))  # fmt: skip


@check(
    "LIFE-04",
    "readiness on a healthy target names its checks",
    ref="Ex 53",
    needs=("health", "health_probes"),
)
def test_readiness(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        path = conformance_profile.paths.health_ready
        response = client.get(path)
        assert_no_secrets(response, conformance_profile)
        body = json_body(response, path)
        want = '200 {"status": "healthy", "uptime_seconds": number, "checks": {"database": true, ' \
            '"external_api": true}}'  # fmt: skip
        checks = body.get("checks")
        if (
            response.status_code != 200
            or body.get("status") != "healthy"
            or not _is_number(body.get("uptime_seconds"))
            or not isinstance(checks, dict)
            or checks.get("database") is not True
            or checks.get("external_api") is not True
        ):
            mismatch("readiness of a healthy target (LIFE-04)", want, response)
