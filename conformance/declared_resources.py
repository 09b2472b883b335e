"""Resources a property check creates in a declared collection, and deletes again.

Bodies come from the document's request schema (``example_value``): every property the
schema declares first, only its required ones when the target refuses that. Each body
carries the check's marker in its strings, so the resource can be told apart from the
rows other checks create at the same time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
from pytest_conformance import Target
from pytest_conformance.target_model import Collection, TargetModel

from conformance.assertions.describe import received
from conformance.examples import NoExample, example_value
from conformance.operation_calls import Unbuildable, representative_call
from conformance.request_budget import RequestBudget


@dataclass(frozen=True)
class Created:
    id: Any  # the value of the item path's parameter
    sent: Any  # the body as sent
    answer: Any  # the create answer's JSON


class CannotCreate(Exception):
    """The suite could not create a resource here; ``response`` is the last answer, if any."""

    def __init__(self, reason: str, response: httpx.Response | None = None) -> None:
        super().__init__(reason)
        self.response = response


def id_fields(collection: Collection) -> tuple[str, ...]:
    """Where a created resource names its id: the item path's parameter name, then ``id``."""
    return tuple(dict.fromkeys((collection.id_parameter, "id")))


def created_id(collection: Collection, answer: Any) -> Any:
    """The id in a create (or read) answer, ``None`` when it names none."""
    if not isinstance(answer, dict):
        return None
    for name in id_fields(collection):
        value = answer.get(name)
        if isinstance(value, str | int) and not isinstance(value, bool) and value != "":
            return value
    return None


def request_bodies(
    model: TargetModel, collection: Collection, marker: str, *, complete: bool = True
) -> list[Any]:
    """The create bodies to try: every property first when ``complete`` (to compare them
    all), else the required ones first; ``[]`` when the schema gives none."""
    bodies: list[Any] = []
    for every_property in (True, False) if complete else (False, True):
        try:
            body = example_value(
                model.document, collection.create.body_schema, marker=marker,
                every_property=every_property,
            )  # fmt: skip
        except NoExample:
            continue
        if body not in bodies:
            bodies.append(body)
    return bodies


def create(
    target: Target,
    model: TargetModel,
    collection: Collection,
    headers: dict[str, str],
    marker: str,
    budget: RequestBudget,
    *,
    complete: bool = True,
) -> Created:
    """One resource made from the request schema; ``CannotCreate`` says why not."""
    bodies = request_bodies(model, collection, marker, complete=complete)
    if not bodies:
        raise CannotCreate(f"{collection.create.name}: no body can be built from its schema")
    refused: httpx.Response | None = None
    for body in bodies:
        try:
            call = representative_call(model, collection.create, body=body, marker=marker)
        except Unbuildable as error:
            raise CannotCreate(str(error)) from None
        budget.spend(collection.create)
        with target.client() as client:
            response = call.send(client, headers)
            response.read()
        if response.is_success:
            answer = _json(response)
            found = created_id(collection, answer)
            if found is None:
                raise CannotCreate(
                    f"{collection.create.name} answered {response.status_code} without an id "
                    f"({' or '.join(id_fields(collection))})",
                    response,
                )
            return Created(found, body, answer)
        if response.status_code >= 500 or response.status_code in (401, 403):
            raise CannotCreate(
                f"{collection.create.name} refused a body built from its request schema",
                response,
            )
        refused = response
    raise CannotCreate(
        f"{collection.create.name} refused every body built from its request schema:\n"
        + (received(refused) if refused is not None else ""),
        refused,
    )


def read(
    target: Target, model: TargetModel, collection: Collection, item_id: Any,
    headers: dict[str, str],
) -> httpx.Response:  # fmt: skip
    call = representative_call(
        model, collection.read, path_values={collection.id_parameter: item_id}
    )
    with target.client() as client:
        response = call.send(client, headers)
        response.read()
        return response


def delete(
    target: Target, model: TargetModel, collection: Collection, item_id: Any,
    headers: dict[str, str],
) -> httpx.Response | None:  # fmt: skip
    """Delete what the check created (cleanup is never refused for the budget)."""
    if collection.delete is None:
        return None
    try:
        call = representative_call(
            model, collection.delete, path_values={collection.id_parameter: item_id}
        )
    except Unbuildable:
        return None
    with target.client() as client:
        response = call.send(client, headers)
        response.read()
        return response


def _json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        return None
