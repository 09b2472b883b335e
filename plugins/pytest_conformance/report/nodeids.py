"""Node ids of installed test packages, free of where they are installed.

``pytest --pyargs conformance`` collects the checks from wherever pip put them; pytest
names a module by its path relative to the rootdir, so a virtual environment inside the
project gives ``.venv/lib/python3.11/site-packages/conformance/test_auth.py::…`` (and JUnit
class names to match), and one outside it gives a bare ``test_auth.py::…``. A module that
lives in an installed package is named from its top-level package instead:
``conformance/test_auth.py::…``, the same in every install.
"""

from __future__ import annotations

from pathlib import Path

import pytest

INSTALL_DIRS = frozenset({"site-packages", "dist-packages"})


def package_root(path: Path) -> Path | None:
    """The directory holding the top-level package of ``path`` (None: not in a package)."""
    top = None
    directory = path.parent
    while (directory / "__init__.py").is_file():
        top = directory
        directory = directory.parent
    return top.parent if top is not None else None


def installed_nodeid(path: Path, rootpath: Path) -> str | None:
    """The package-relative id of a module installed away from the rootdir, else None."""
    try:
        relative = path.relative_to(rootpath)
    except ValueError:
        relative = None
    if relative is not None and not INSTALL_DIRS.intersection(relative.parts):
        return None
    root = package_root(path)
    if root is None:
        return None
    return path.relative_to(root).as_posix()


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(
    module_path: Path, parent: pytest.Collector
) -> pytest.Module | None:
    nodeid = installed_nodeid(module_path, parent.config.rootpath)
    if nodeid is None:
        return None
    return pytest.Module.from_parent(parent, path=module_path, nodeid=nodeid)
