"""The ``conformance`` command: a starting profile for a target, and the profile reference.

    conformance init --url http://127.0.0.1:8000 [--openapi /api/v1/openapi.json] [-o profile.toml]
    conformance init --app myapp.main:app [--user admin:NAME:PASSWORD ...] [-o profile.toml]
    conformance profile-reference

``init`` fetches the target's OpenAPI document (from ``--openapi``, else the usual places),
reads what it can, sends a few requests that cannot change anything and tries the logins
given (``pytest_conformance.init``), and writes the profile. Every error is one line.
``profile-reference`` prints the reference of every profile key (docs/profile.md, installed
with the package).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager, LifespanNotSupported

from pytest_conformance.init import (
    DOCUMENT_CANDIDATES,
    InitError,
    Login,
    Prober,
    Reading,
    open_document,
    parse_user,
    read_document,
    render,
    without_document,
)
from pytest_conformance.target_model import build_model
from pytest_conformance.targets.loading import AppLoadError, import_app

FETCH_TIMEOUT = 10.0


DESCRIPTION = """\
The conformance suite's command line. The suite itself runs under pytest:
  pytest --pyargs conformance --target-url=URL [--profile=conformance.toml]
"""

EPILOG = """\
examples:
  conformance init --url http://127.0.0.1:8000 -o conformance.toml
  conformance init --app myapp.main:app -o conformance.toml
  conformance init --url http://127.0.0.1:8000 --user admin:root:PASSWORD -o conformance.toml
  conformance profile-reference | less
"""

REFERENCE = "profile.md"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="conformance",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    init = commands.add_parser(
        "init",
        help="write a starting profile from the target's OpenAPI document",
        description="Write a starting profile from the target's OpenAPI document.",
    )
    commands.add_parser(
        "profile-reference",
        help="print the reference of every profile key (Markdown)",
        description="Print the reference of every profile key (docs/profile.md), as Markdown.",
    )
    target = init.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="base URL of a running server")
    target.add_argument("--app", metavar="MODULE:ATTR", help="the ASGI app to import")
    init.add_argument(
        "--openapi",
        metavar="PATH",
        help="where the document is (default: "
        "the first of " + ", ".join(DOCUMENT_CANDIDATES) + " that answers)",
    )
    init.add_argument(
        "-o",
        "--output",
        default="conformance.toml",
        help="the profile to write ('-' for standard output)",
    )
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.add_argument(
        "--user",
        action="append",
        default=[],
        metavar="ROLE:NAME:PASSWORD",
        help="credentials to try at the document's OAuth2 password login (repeatable); "
        "those that log in are written as [users.ROLE]",
    )
    return parser


def _load(app_spec: str) -> Any:
    try:
        return import_app(app_spec)
    except AppLoadError as error:
        raise InitError(f"--app {app_spec}: {error}") from None


async def _get(client: httpx.AsyncClient, path: str) -> httpx.Response:
    try:
        return await client.get(path)
    except httpx.HTTPError as error:
        raise InitError(
            f"cannot reach {client.base_url}{path}: {type(error).__name__}: {error}"
        ) from None
    except Exception as error:  # an in-process app that crashes: its fault, in one line
        raise InitError(
            f"{client.base_url}{path}: the app raised {type(error).__name__}: {error}"
        ) from None


class DocumentBroken(InitError):
    """The document's path answers a server error: a profile is still written, without it."""

    def __init__(self, path: str, response: httpx.Response) -> None:
        self.path = path
        self.status = response.status_code
        body = " ".join(response.text.split())[:120] or "<empty>"
        super().__init__(f"GET {path} answered {self.status} ({body})")


@contextlib.asynccontextmanager
async def _client(url: str | None, app_spec: str | None) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the target; an ``--app`` runs in-process with its lifespan when it starts
    (the login probes need what startup prepares), else without it."""
    if url is not None:
        if not url.startswith(("http://", "https://")):
            raise InitError(f"--url {url!r}: not an http:// or https:// URL")
        async with httpx.AsyncClient(base_url=url.rstrip("/"), timeout=FETCH_TIMEOUT) as client:
            yield client
        return
    assert app_spec is not None
    app = _load(app_spec)
    async with contextlib.AsyncExitStack() as stack:
        try:
            manager = await stack.enter_async_context(
                LifespanManager(app, startup_timeout=FETCH_TIMEOUT, shutdown_timeout=FETCH_TIMEOUT)
            )
            app = manager.app
        except LifespanNotSupported:
            pass
        except Exception as error:
            print(
                f"conformance init: the app's startup raised {type(error).__name__}: {error}; "
                "probing it without its lifespan",
                file=sys.stderr,
            )
        # an app whose document raises answers a 500, as it would over HTTP
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", timeout=FETCH_TIMEOUT
        ) as client:
            yield client


async def fetch_document(client: httpx.AsyncClient, where: str | None) -> tuple[Any, str]:
    """The first candidate path answering 200 JSON: (document, its absolute URL)."""
    tried = []
    broken: DocumentBroken | None = None
    for path in [where] if where else DOCUMENT_CANDIDATES:
        response = await _get(client, path)
        tried.append(f"{path} ({response.status_code})")
        if response.status_code == 200:
            try:
                return response.json(), str(response.url)
            except json.JSONDecodeError:
                tried[-1] = f"{path} (not JSON)"
        elif response.status_code >= 500 and broken is None:
            broken = DocumentBroken(path, response)
    if broken is not None:
        raise broken
    raise InitError(
        f"no OpenAPI document at {client.base_url}: tried {', '.join(tried)}"
        " (name it with --openapi PATH)"
    )


async def learn(args: argparse.Namespace, users: list[Login]) -> tuple[Reading, str]:
    """The document read and the target probed: (what they say, where the document is)."""
    async with _client(args.url, args.app) as client:
        try:
            document, url = await fetch_document(client, args.openapi)
        except DocumentBroken as broken:
            print(
                f"conformance init: {broken}: writing a profile without the document",
                file=sys.stderr,
            )
            return without_document(broken.path, str(broken)), f"{broken.path} (broken)"
        opened = open_document(document, url)
        probes = await Prober(client, build_model(opened), opened.base_path).run(users)
    for login in probes.logins:
        said = login.answer.line if login.answer is not None else "no OAuth2 password login"
        outcome = "logged in" if login.succeeded else "not logged in"
        print(f"--user {login.role} ({login.username}): {said}: {outcome}", file=sys.stderr)
    return read_document(opened, url, probes), url


def init(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if args.output != "-" and output.exists() and not args.force:
        raise InitError(f"{output} exists (use --force to overwrite it)")
    try:
        users = [parse_user(value) for value in args.user]
    except ValueError as error:
        raise InitError(str(error)) from None
    reading, url = asyncio.run(learn(args, users))
    text = render(reading, args.url or args.app)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    output.write_text(text, encoding="utf-8")
    found = len(reading.data.get("paths", {}))
    off = sum(1 for value in reading.data.get("capabilities", {}).values() if value is False)
    target = f"--target-url={args.url}" if args.url else f"--target-app={args.app}"
    print(f"wrote {output}: document {url}, {found} path settings, {off} capabilities off")
    print(f"next: pytest --pyargs conformance --profile={output} {target}")
    print("every key: conformance profile-reference")
    return 0


def profile_reference() -> str:
    """docs/profile.md as installed with the package."""
    return (
        resources.files("pytest_conformance.profile")
        .joinpath(REFERENCE)
        .read_text(encoding="utf-8")
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "profile-reference":
        sys.stdout.write(profile_reference())
        return 0
    try:
        return init(args)
    except InitError as error:
        print(f"conformance {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
