"""The probes' evidence written into the starting profile: headers, CORS, protected
routes, logins. (The envelope, the 405 and the login failure status are read where the
document's guesses for them are, in ``reading``.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_conformance.init import evidence
from pytest_conformance.init.probes import PARAMETER, Probes
from pytest_conformance.target_model import TargetModel

if TYPE_CHECKING:
    from pytest_conformance.init.document import Reading

PROBED_CAPABILITIES = frozenset({"security_headers", "request_id", "cors", "sub_apps"})


def apply_probes(
    reading: Reading, probes: Probes, model: TargetModel, *, tutorial: bool, prefix: str
) -> None:
    _capabilities(reading, probes, tutorial=tutorial)
    _protected(reading, probes, prefix)
    _logins(reading, probes, model)


def _capabilities(reading: Reading, probes: Probes, *, tutorial: bool) -> None:
    for name, finding in (
        ("security_headers", evidence.security_headers(probes)),
        ("request_id", evidence.request_id(probes)),
        ("cors", evidence.cors(probes)),
        ("sub_apps", evidence.sub_apps(probes) if tutorial else None),
    ):
        if name == "sub_apps" and not tutorial:
            continue  # the tutorial's own mounts: nothing to look for without its contract
        if finding is None:
            reading.comments.append(f"{name}: no answer to tell")
        elif finding.value is False:
            reading.set("capabilities", name, False, finding.note)
        elif finding.value is None or not tutorial:
            # present: under the tutorial's contract it is the default; without a contract
            # it is not promised unless the profile says so, and the answers do not promise
            reading.comments.append(f"{name}: {finding.note}")
        else:
            reading.comments.append(f"{name} (on): {finding.note}")
            if name == "request_id" and finding.value != "X-Request-ID":
                reading.set(None, "request_id_header", finding.value, finding.note)


def _protected(reading: Reading, probes: Probes, prefix: str) -> None:
    refused = evidence.protected(probes)
    status = evidence.unauthenticated_status(probes)
    if status is not None and status.value != 401:
        reading.set("auth", "unauthenticated_status", status.value, status.note)
    elif status is not None:
        reading.comments.append(f"auth.unauthenticated_status 401: {status.note}")
    elif refused:
        seen = ", ".join(answer.line for answer in refused)
        reading.comments.append(f"auth.unauthenticated_status left out: they differ ({seen})")
    challenge = evidence.missing_challenge(probes)
    if challenge is not None:
        reading.set("auth", "challenge", challenge.value, challenge.note)
    for answer in evidence.open_secured(probes):
        reading.comments.append(f"{answer.line} without a token, though it declares security")
    if not refused:
        return
    reading.comments.append(
        "Routes that refused a request without a token; rows for the RBAC checks once you "
        "know which roles may call them:"
    )
    for operation, answer in probes.unauthenticated:
        if answer not in refused:
            continue
        path = operation.template.removeprefix(prefix) if prefix else operation.template
        row = "" if PARAMETER.search(path) else f' path = "{path}" (RBAC-02: any user)'
        reading.comments.append(f"  {answer.line}{row}")


def _logins(reading: Reading, probes: Probes, model: TargetModel) -> None:
    for login in probes.logins:
        answer = login.answer
        said = answer.line if answer is not None else "the login could not be reached"
        if login.succeeded and answer is not None:
            reading.data.setdefault("users", {})[login.role] = {
                "username": login.username,
                "password": login.password,
            }
            reading.notes[f"users.{login.role}"] = f"--user {login.role}: {said}"
            if answer.status != 200:
                reading.set("auth", "login_status", answer.status, said)
        else:
            excerpt = f": {answer.excerpt()}" if answer is not None else ""
            reading.comments.append(f"--user {login.role} ({login.username}): {said}{excerpt}")
    _scopes(reading, probes, model)
    logged_in = [login.role for login in probes.logins if login.succeeded]
    if logged_in and "admin" not in logged_in:
        reading.set("fuzz", "role", logged_in[0], "the fuzz signs in as this user (no admin given)")
    if probes.logins and model.login is None:
        reading.comments.append("--user given, but the document declares no OAuth2 password flow")


def _scopes(reading: Reading, probes: Probes, model: TargetModel) -> None:
    """The scopes the logins asked for (``Login.scopes_for``): shared ones in ``[auth]``,
    a user's own where it differs."""
    login = model.login
    if login is None or not login.scopes:
        return
    roles = frozenset(done.role for done in probes.logins)
    shared = tuple(scope for scope in login.scopes if scope not in roles)
    apart = [scope for scope in login.scopes if scope not in shared]
    note = f"the password flow declares {', '.join(login.scopes)}" + (
        f"; {', '.join(apart)}: asked by that role's user alone" if apart else ""
    )
    reading.set("auth", "scopes", list(shared), note)
    for done in probes.logins:
        own = login.scopes_for(done.role, roles)
        user = reading.data.get("users", {}).get(done.role)
        if own != shared and isinstance(user, dict):
            user["scopes"] = list(own)
