"""What a mutant changes of the reference app, placed on functions and route paths.

Called in the mutant's own suite process before its target starts: the reference app is
built, every loaded module's functions and classes are fingerprinted, the mutant module is
imported (it patches and builds), and both are compared. Whatever differs and cannot be
placed on a reference function or a route path makes the run whole, with the reason.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import json
import os
import re
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import Mount

REFERENCE = "reference_app"
OWN = ("tests.",)  # the mutant and its building blocks: new code, placed by what it replaces


@dataclass
class Changes:
    functions: set[str] = field(default_factory=set)  # reference functions, module:qualname
    paths: set[str] = field(default_factory=set)  # route paths answered differently
    whole: list[str] = field(default_factory=list)  # why every check must run

    def path_patterns(self) -> list[re.Pattern[str]]:
        return [re.compile(_path_regex(path)) for path in sorted(self.paths)]


def _path_regex(path: str) -> str:
    """A route template as Starlette matches it: ``{name}`` one segment, ``{name:path}`` any."""
    pattern = re.sub(
        r"\{[^}:]+:path\}", ".*", re.escape(path).replace(r"\{", "{").replace(r"\}", "}")
    )
    return "^" + re.sub(r"\{[^}]+\}", "[^/]+", pattern) + "$"


def name_of(function: Any) -> str | None:
    """``module:qualname`` of a reference-app function (or method); None for anything else."""
    function = getattr(function, "__func__", function)
    module = getattr(function, "__module__", None) or ""
    qualname = getattr(function, "__qualname__", None)
    if not isinstance(function, types.FunctionType) or not qualname:
        return None
    if module != REFERENCE and not module.startswith(REFERENCE + "."):
        return None
    return f"{module}:{qualname}"


def _code_key(function: Any) -> str:
    """Equal for two functions made from the same code (closures built per app)."""
    function = getattr(function, "__func__", function)
    code = getattr(function, "__code__", None)
    if code is not None:
        return f"{function.__module__}:{function.__qualname__}@{id(code)}"
    if isinstance(function, type):
        return f"class {function.__module__}.{function.__qualname__}@{id(function)}"
    if function is None:
        return "None"
    # an instance (a rate limiter, a default lifespan): one per app, told apart by its type;
    # what it does differently comes from its class's functions, fingerprinted as modules
    kind = type(function)
    return f"instance of {kind.__module__}.{kind.__qualname__}@{id(kind)}"


# ---- module state -------------------------------------------------------------------


# (module, attribute) -> (fingerprint, the object): the object kept so its name can be read
Snapshot = dict[tuple[str, str], tuple[int, Any]]


def _snapshot() -> Snapshot:
    """Every module's functions and classes (and their members) by identity; the reference
    app's modules' other values by identity and content."""
    found: Snapshot = {}
    for module_name, module in list(sys.modules.items()):
        if module is None or module_name.startswith(OWN) or module_name == "__main__":
            continue
        try:
            members = dict(vars(module))
        except TypeError:
            continue
        reference = module_name == REFERENCE or module_name.startswith(REFERENCE + ".")
        for attribute, value in members.items():
            if reference and not callable(value) and not isinstance(value, types.ModuleType):
                fingerprint = hash((id(value), _content(value)))
            elif reference or callable(value):  # a library's data fills its own caches
                fingerprint = id(value)
            else:
                continue
            found[(module_name, attribute)] = (fingerprint, value)
            if isinstance(value, type) and getattr(value, "__module__", None) == module_name:
                for member, member_value in list(vars(value).items()):
                    found[(module_name, f"{attribute}.{member}")] = (id(member_value), member_value)
    return found


def _content(value: Any) -> str:
    """What a module-level value holds, for values changed in place (a table's entry)."""
    if isinstance(value, (dict, list, tuple, set, frozenset, str, bytes, int, float)):
        return repr(value)[:20_000]
    members = getattr(value, "__dict__", None)
    if isinstance(members, dict):
        return repr(sorted((key, id(member)) for key, member in members.items()))
    return ""


def _module_changes(before: Snapshot, changes: Changes) -> None:
    after = _snapshot()
    rebound: set[tuple[str, str]] = set()
    for key, (fingerprint, original) in before.items():
        now = after.get(key)
        if now is None or now[0] == fingerprint:
            continue
        module_name, attribute = key
        owner = attribute.rpartition(".")[0]
        if owner and (module_name, owner) in rebound:
            continue  # a member of a replaced class: placed with the class, by its readers
        placed = name_of(original)
        if placed is not None:
            changes.functions.add(placed)
            continue
        if attribute.endswith("__dict__") or attribute.endswith("__weakref__"):
            continue
        if now[1] is original:
            changes.whole.append(f"{module_name}.{attribute} was changed in place")
            continue
        readers = _readers(attribute.rpartition(".")[2])
        if readers:
            rebound.add(key)
            changes.functions |= readers
        else:
            changes.whole.append(f"{module_name}.{attribute} was replaced; no function reads it")


# code objects named for the function whose body holds them in tests/reach/functions.py
_ANONYMOUS = frozenset({"<lambda>", "<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>"})


def _readers(name: str) -> set[str]:
    """The reference functions whose code names ``name``: a module global or an attribute,
    read at run time. Rebinding a value reaches no other code: what was built from the old
    value at import (a route, a default, another module's ``from ... import``) keeps it.
    A value changed in place reaches every holder, so it is not placed this way."""
    found: set[str] = set()
    for module_name, module in list(sys.modules.items()):
        if module is None or not (
            module_name == REFERENCE or module_name.startswith(REFERENCE + ".")
        ):
            continue
        for value in list(vars(module).values()):
            for function in _functions_in(value, module_name):
                _code_readers(function.__code__, name, module_name, None, found)
    return found


def _functions_in(value: Any, module_name: str) -> Iterator[types.FunctionType]:
    """The functions a module defines: its own (under their decorators' wrappers), and its
    classes' methods and properties."""
    if getattr(value, "__module__", None) != module_name:
        return
    if isinstance(value, types.FunctionType):
        yield value
    with contextlib.suppress(ValueError):  # a wrapper chain that loops
        inner = inspect.unwrap(value)
        if inner is not value and isinstance(inner, types.FunctionType):
            yield inner
    if isinstance(value, type):
        for member in vars(value).values():
            for part in (member, getattr(member, "__func__", None), getattr(member, "fget", None)):
                if isinstance(part, types.FunctionType):
                    yield part


def _code_readers(
    code: types.CodeType, name: str, module_name: str, enclosing: str | None, found: set[str]
) -> None:
    own = enclosing if code.co_name in _ANONYMOUS else code.co_qualname
    if own is not None and name in code.co_names:
        found.add(f"{module_name}:{own}")
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            _code_readers(constant, name, module_name, own, found)


# ---- the app's shape ------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    path: str
    shape: str  # everything that decides how the route answers, as comparable text
    endpoint: str | None  # the reference function answering it


def _dependency_calls(dependant: Any) -> Iterator[Any]:
    for dependency in getattr(dependant, "dependencies", ()):
        yield dependency.call
        yield from _dependency_calls(dependency)


def _routes(routes: list[Any], prefix: str = "") -> Iterator[Route]:
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:  # newer FastAPI keeps an included router whole
            context = getattr(route, "include_context", None)
            yield from _routes(included.routes, prefix + getattr(context, "prefix", ""))
            continue
        path = prefix + str(getattr(route, "path", ""))
        if isinstance(route, Mount):
            yield Route(path, f"mount {path}", None)
            yield from _routes(list(getattr(route.app, "routes", [])), path)
            continue
        endpoint = getattr(route, "endpoint", None)
        calls = list(_dependency_calls(getattr(route, "dependant", None)))
        shape = json.dumps(
            {
                "type": type(route).__qualname__,
                "methods": sorted(getattr(route, "methods", None) or []),
                "endpoint": _code_key(endpoint),
                "dependencies": [_code_key(call) for call in calls],
                "status": getattr(route, "status_code", None),
                "response_model": repr(getattr(route, "response_model", None)),
                "response_class": repr(getattr(route, "response_class", None)),
                "responses": repr(getattr(route, "responses", None)),
                "in_schema": getattr(route, "include_in_schema", None),
            },
            sort_keys=True,
        )
        yield Route(path, shape, name_of(endpoint))


def _apps(app: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """The app and every app mounted in it, with their mount paths."""
    yield prefix, app
    for route in getattr(app, "routes", []):
        if isinstance(route, Mount) and hasattr(route.app, "user_middleware"):
            yield from _apps(route.app, prefix + route.path)


def _state(app: Any) -> list[tuple[str, str]]:
    state = getattr(getattr(app, "state", None), "_state", {})
    return sorted((key, type(value).__qualname__) for key, value in state.items())


def _settings(app: Any) -> str:
    settings = getattr(getattr(app, "state", None), "settings", None)
    dump = getattr(settings, "model_dump", None)
    return repr(dump()) if callable(dump) else repr(settings)


def _app_changes(reference: Any, mutant: Any, changes: Changes) -> None:
    reference_apps, mutant_apps = dict(_apps(reference)), dict(_apps(mutant))
    if set(reference_apps) != set(mutant_apps):
        changes.whole.append("the mounted apps differ")
        return
    for prefix, ref_app in reference_apps.items():
        mut_app = mutant_apps[prefix]
        where = f"the app at {prefix or '/'}"
        if _middleware(ref_app) != _middleware(mut_app):
            changes.whole.append(f"{where}: its middleware differs")
        if _settings(ref_app) != _settings(mut_app):
            changes.whole.append(f"{where}: its settings differ")
        if _state(ref_app) != _state(mut_app):
            changes.whole.append(f"{where}: its state differs")
        for attribute in ("title", "version", "openapi_url", "docs_url", "root_path", "servers"):
            if getattr(ref_app, attribute, None) != getattr(mut_app, attribute, None):
                changes.whole.append(f"{where}: its {attribute} differs")
        if _code_key(getattr(ref_app, "openapi", None)) != _code_key(
            getattr(mut_app, "openapi", None)
        ):
            changes.whole.append(f"{where}: its document is built differently")
        if _code_key(ref_app.router.lifespan_context) != _code_key(mut_app.router.lifespan_context):
            changes.whole.append(f"{where}: its lifespan differs")
        if _attributes(ref_app) != _attributes(mut_app):
            changes.whole.append(f"{where}: its attributes differ")
        _handler_changes(ref_app, mut_app, where, changes)
        _override_changes(ref_app, mut_app, changes)
    _route_changes(list(_routes(reference.routes)), list(_routes(mutant.routes)), changes)


SHAPED = frozenset({"openapi_schema", "middleware_stack", "router", "state", "user_middleware"})


def _attributes(app: Any) -> list[tuple[str, str]]:
    """The app object's own attributes, each by its kind (a built document is left out)."""
    return sorted(
        (key, _code_key(value) if callable(value) else f"{type(value).__qualname__}")
        for key, value in vars(app).items()
        if key not in SHAPED
    )


def _middleware(app: Any) -> list[str]:
    return [
        f"{_code_key(entry.cls)} {entry.args!r} {sorted(entry.kwargs.items())!r}"
        for entry in getattr(app, "user_middleware", [])
    ]


def _handler_changes(ref_app: Any, mut_app: Any, where: str, changes: Changes) -> None:
    ref_handlers, mut_handlers = ref_app.exception_handlers, mut_app.exception_handlers
    for key in set(ref_handlers) | set(mut_handlers):
        ref_handler, mut_handler = ref_handlers.get(key), mut_handlers.get(key)
        if _code_key(ref_handler) == _code_key(mut_handler):
            continue
        placed = name_of(ref_handler)
        if placed is None:
            changes.whole.append(f"{where}: its handler for {key!r} differs")
        else:
            changes.functions.add(placed)


def _override_changes(ref_app: Any, mut_app: Any, changes: Changes) -> None:
    ref_overrides, mut_overrides = ref_app.dependency_overrides, mut_app.dependency_overrides
    for key in set(ref_overrides) | set(mut_overrides):
        if _code_key(ref_overrides.get(key)) == _code_key(mut_overrides.get(key)):
            continue
        placed = name_of(key)
        if placed is None:
            changes.whole.append(f"the override of {key!r} differs")
        else:
            changes.functions.add(placed)


def _route_changes(reference: list[Route], mutant: list[Route], changes: Changes) -> None:
    """Routes added, removed or changed: their paths (and the reference's functions there).

    Common routes must keep their order: a route moved ahead of another is not placed."""
    reference_shapes = [route.shape for route in reference]
    mutant_shapes = [route.shape for route in mutant]
    common = set(reference_shapes) & set(mutant_shapes)
    if [s for s in reference_shapes if s in common] != [s for s in mutant_shapes if s in common]:
        changes.whole.append("the reference routes are in another order")
        return
    for route in [*reference, *mutant]:
        if route.shape in common:
            continue
        changes.paths.add(route.path)
        for same_path in reference:  # a WebSocket's requests are known by its functions
            if same_path.path == route.path and same_path.endpoint is not None:
                changes.functions.add(same_path.endpoint)


# ---- the comparison ---------------------------------------------------------------------


def document_of(app: Any) -> str:
    return json.dumps(app.openapi(), sort_keys=True, default=repr)


def compare(mutant_module: str, attribute: str = "app") -> Changes:
    """Build the reference app, import the mutant, and say what differs."""
    import reference_app  # noqa: F401  (loaded before the fingerprints)
    from reference_app import create_app
    from reference_app.settings import load_settings

    reference = create_app(load_settings())
    reference_document = document_of(reference)
    before, environment = _snapshot(), dict(os.environ)
    mutant = getattr(importlib.import_module(mutant_module), attribute)
    changes = Changes()
    if dict(os.environ) != environment:
        changes.whole.append("the environment changed")
    _module_changes(before, changes)
    _app_changes(reference, mutant, changes)
    if document_of(mutant) != reference_document:
        changes.whole.append("the document differs")
    if not (changes.functions or changes.paths or changes.whole):
        changes.whole.append("the comparison found no change: the mutant works some other way")
    return changes
