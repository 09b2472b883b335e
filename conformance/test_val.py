"""VAL — request and response models (SPEC.md, tutorial Examples 46 and 47)."""

from __future__ import annotations

import math
import secrets
from typing import Any

import httpx
import pytest
from pytest_conformance import Profile, Target, check
from pytest_conformance.target_model import Collection, TargetModel

from conformance.accounts import delete_user, registration_form
from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import assert_envelope, json_body
from conformance.authorized import signed_in
from conformance.mass_assignment import (
    assert_create_takes_no_extra_fields,
    assert_update_takes_no_extra_fields,
)

MISMATCH_MESSAGE = "password and confirm_password must match"
CONTAINS_MESSAGE = "password must not contain username"


def _username() -> str:
    return f"val{secrets.token_hex(5)}"


def _created(response: httpx.Response, what: str) -> dict[str, Any]:
    __tracebackhide__ = True
    if response.status_code not in (200, 201):
        mismatch(f"{what} was refused", "200 or 201", response)
    return json_body(response, what)


def _refused(response: httpx.Response, what: str, profile: Profile) -> list[Any]:
    """The 422 envelope's details (an empty list when the target gives none)."""
    __tracebackhide__ = True
    status = profile.errors.validation_status
    if response.status_code != status:
        mismatch(f"{what} was not rejected", f"status {status}", response)
    details = assert_envelope(response, profile.envelope).details
    return details if isinstance(details, list) else []


def _close(actual: object, expected: float) -> bool:
    return (
        isinstance(actual, int | float)
        and not isinstance(actual, bool)
        and math.isclose(actual, expected, abs_tol=1e-9)
    )


@check(
    "VAL-01",
    "registration answers the user without any password field",
    ref="Ex 46",
    needs=("registration",),
)
def test_registration_shape(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        username = _username()
        form = registration_form(username, f"Pw-{secrets.token_urlsafe(12)}")
        response = client.post(conformance_profile.paths.registration, json=form)
        body = _created(response, "a valid registration")
        try:
            if body.get("username") != username or body.get("email") != form["email"]:
                expected = f'{{"username": {username!r}, "email": {form["email"]!r}}}'
                mismatch("the registration answer does not name the new user (VAL-01)", expected,
                         response)  # fmt: skip
            leaked = [key for key in body if "password" in key.lower()]
            if leaked:
                mismatch(f"the registration answer carries {leaked} (VAL-01)",
                         "no password field of any kind", response)  # fmt: skip
            if "id" in body and not isinstance(body["id"], int):
                mismatch("the registration answer's id is not an integer", '"id": int', response)
        finally:
            if isinstance(body.get("id"), int):
                delete_user(client, conformance_profile, body["id"])


@check("VAL-01", "registration fields are bounded", ref="Ex 46", needs=("registration",))
@pytest.mark.parametrize(
    ("field", "value"),
    [("username", "ab"), ("username", "u" * 51), ("password", "Xy-1234")],
    ids=["username-too-short", "username-too-long", "password-too-short"],
)
def test_registration_bounds(
    field: str, value: str, target: Target, conformance_profile: Profile
) -> None:
    with signed_in(target, conformance_profile) as client:
        form = registration_form(_username(), f"Pw-{secrets.token_urlsafe(12)}")
        form[field] = value
        if field == "password":
            form["confirm_password"] = value
        response = client.post(conformance_profile.paths.registration, json=form)
        _refused(response, f"a registration with {field} {value!r}", conformance_profile)


def _assert_named(response: httpx.Response, details: list[Any], message: str) -> None:
    __tracebackhide__ = True
    texts = [str(entry.get("msg", "")) if isinstance(entry, dict) else str(entry)
             for entry in details]  # fmt: skip
    if not any(message.lower() in text.lower() for text in texts):
        mismatch("the 422 details do not name the broken rule (VAL-02)", repr(message), response)


@check("VAL-02", "password and confirmation must match", ref="Ex 46", needs=("registration",))
def test_password_confirmation(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        form = registration_form(_username(), f"Pw-{secrets.token_urlsafe(12)}")
        form["confirm_password"] = form["password"] + "x"
        response = client.post(conformance_profile.paths.registration, json=form)
        details = _refused(response, "a registration whose passwords differ", conformance_profile)
        _assert_named(response, details, MISMATCH_MESSAGE)


@check("VAL-02", "the password must not contain the username", ref="Ex 46", needs=("registration",))
@pytest.mark.parametrize("casing", ["same", "other"], ids=["same-case", "other-case"])
def test_password_contains_username(
    casing: str, target: Target, conformance_profile: Profile
) -> None:
    with signed_in(target, conformance_profile) as client:
        username = _username()
        inside = username if casing == "same" else username.upper()
        form = registration_form(username, f"Pw-{inside}-9")
        response = client.post(conformance_profile.paths.registration, json=form)
        details = _refused(response, "a password containing the username", conformance_profile)
        _assert_named(response, details, CONTAINS_MESSAGE)


@check("VAL-03", "computed discounted_price and on_sale", ref="Ex 47", needs=("validation_models",))
@pytest.mark.parametrize(
    ("price", "discount"),
    [(19.99, 15), (33.33, 33), (10.0, None), (7.5, 100)],
    ids=["15-percent", "rounded", "default-no-discount", "free"],
)
def test_product_computed_fields(
    price: float, discount: float | None, target: Target, conformance_profile: Profile
) -> None:
    with signed_in(target, conformance_profile) as client:
        sent: dict[str, Any] = {"name": f"product-{secrets.token_hex(3)}", "price": price}
        if discount is not None:
            sent["discount_percent"] = discount
        response = client.post(conformance_profile.paths.products, json=sent)
        body = _created(response, "a valid product")
        percent = discount or 0
        expected = round(price * (1 - percent / 100), 2)
        if body.get("name") != sent["name"] or not _close(body.get("price"), price):
            mismatch("the product is not echoed (VAL-03)", f"name and price of {sent}", response)
        if not _close(body.get("discount_percent"), percent):
            mismatch("discount_percent is not echoed (default 0) (VAL-03)", str(percent), response)
        if not _close(body.get("discounted_price"), expected):
            mismatch(
                "wrong discounted_price (VAL-03)",
                f"round({price} * (1 - {percent}/100), 2) = {expected}",
                response,
            )
        if body.get("on_sale") is not (percent > 0):
            mismatch("wrong on_sale (VAL-03)", f"on_sale = {percent > 0}", response)


@check("VAL-03", "price and discount bounds", ref="Ex 47", needs=("validation_models",))
@pytest.mark.parametrize(
    "fields",
    [{"price": 0}, {"price": -5}, {"discount_percent": -1}, {"discount_percent": 100.5}],
    ids=["price-zero", "price-negative", "discount-negative", "discount-over-100"],
)
def test_product_bounds(
    fields: dict[str, float], target: Target, conformance_profile: Profile
) -> None:
    with signed_in(target, conformance_profile) as client:
        sent = {"name": "bounded", "price": 10.0, **fields}
        response = client.post(conformance_profile.paths.products, json=sent)
        _refused(response, f"a product with {fields}", conformance_profile)


ORDER_ITEM_CAMEL = {"productId": 42, "unitPrice": 2.5, "quantity": 3, "discountCode": "SAVE10"}
ORDER_ITEM_SNAKE = {"product_id": 42, "unit_price": 2.5, "quantity": 3, "discount_code": "SAVE10"}


@check(
    "VAL-04",
    "order items: camelCase or snake_case in, camelCase out",
    ref="Ex 47",
    needs=("validation_models",),
)
@pytest.mark.parametrize("sent", [ORDER_ITEM_CAMEL, ORDER_ITEM_SNAKE], ids=["camel", "snake"])
def test_order_item_casing(
    sent: dict[str, Any], target: Target, conformance_profile: Profile
) -> None:
    with signed_in(target, conformance_profile) as client:
        response = client.post(conformance_profile.paths.order_items, json=sent)
        body = _created(response, "an order item")
        if {key: body.get(key) for key in ORDER_ITEM_CAMEL} != ORDER_ITEM_CAMEL:
            mismatch("the order item is not answered in camelCase (VAL-04)", str(ORDER_ITEM_CAMEL),
                     response)  # fmt: skip
        snake = sorted(key for key in body if "_" in key)
        if snake:
            mismatch(f"the answer carries snake_case members {snake} (VAL-04)", "camelCase only",
                     response)  # fmt: skip


LEGACY_ITEM = {"ItemID": 7, "ItemName": "legacy-widget", "Cost_USD": 12.5}


@check("VAL-05", "legacy field names in and out", ref="Ex 47", needs=("validation_models",))
def test_legacy_aliases(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        response = client.post(conformance_profile.paths.legacy_items, json=LEGACY_ITEM)
        body = _created(response, "a legacy item")
        if {key: body.get(key) for key in LEGACY_ITEM} != LEGACY_ITEM:
            mismatch("the legacy item is not answered under its aliases (VAL-05)", str(LEGACY_ITEM),
                     response)  # fmt: skip


@check(
    "VAL-06",
    "a create carrying fields the operation does not accept changes none of them",
    ref="OWASP API3:2023",
)
def test_create_takes_no_extra_fields(
    collection: Collection,
    declared_model: TargetModel,
    client: httpx.Client,
    conformance_profile: Profile,
) -> None:
    assert_create_takes_no_extra_fields(collection, declared_model, client, conformance_profile)


@check(
    "VAL-06",
    "an update carrying fields the operation does not accept changes none of them",
    ref="OWASP API3:2023",
)
def test_update_takes_no_extra_fields(
    collection: Collection,
    declared_model: TargetModel,
    client: httpx.Client,
    conformance_profile: Profile,
) -> None:
    assert_update_takes_no_extra_fields(collection, declared_model, client, conformance_profile)
