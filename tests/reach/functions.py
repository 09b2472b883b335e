"""Which function of a source file a line belongs to, named as ``module:qualname``."""

from __future__ import annotations

import ast
import bisect
from pathlib import Path

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


class FunctionLines:
    """The body lines of every function in one file, innermost function first."""

    def __init__(self, path: Path, module: str) -> None:
        self._spans: list[tuple[int, int, str]] = []
        tree = ast.parse(path.read_text(encoding="utf-8"))
        self._walk(tree, module + ":", "")
        self._spans.sort(key=lambda span: (span[0], -span[1]))
        self._starts = [start for start, _, _ in self._spans]

    def _walk(self, node: ast.AST, prefix: str, scope: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, FunctionNode):
                qualname = f"{scope}{child.name}"
                # the body only: the def line and decorators run in the enclosing scope
                start = child.body[0].lineno
                end = child.end_lineno or start
                self._spans.append((start, end, prefix + qualname))
                self._walk(child, prefix, f"{qualname}.<locals>.")
            elif isinstance(child, ast.ClassDef):
                self._walk(child, prefix, f"{scope}{child.name}.")
            else:
                self._walk(child, prefix, scope)

    def function_of(self, line: int) -> str | None:
        """The innermost function whose body holds ``line``; None at module or class level."""
        index = bisect.bisect_right(self._starts, line)
        # the latest-starting body that holds the line is the innermost one
        for start, end, name in reversed(self._spans[:index]):
            if start <= line <= end:
                return name
        return None
