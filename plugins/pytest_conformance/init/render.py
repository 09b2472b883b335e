"""The starting profile as TOML, each setting with the reason for it as a comment."""

from __future__ import annotations

import json
from typing import Any

from pytest_conformance.init.document import Reading


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string, escapes and all


def _target_option(source: str) -> str:
    if source.startswith(("http://", "https://")):
        return f"--target-url={source}"
    return f"--target-app={source}"


def render(reading: Reading, source: str) -> str:
    """The profile as TOML, each guess with its reason as a comment."""
    lines = [
        f"# A starting profile for {source}, written by `conformance init`.",
        "# Every key is optional (the defaults are SPEC.md's); `conformance profile-reference`",
        "# prints the reference of every key. Adjust, then run:",
        f"#   pytest --pyargs conformance --profile=THIS_FILE {_target_option(source)}",
        "",
    ]

    def key_lines(section: str | None, table: dict[str, Any]) -> None:
        for key, value in table.items():
            if isinstance(value, dict):
                continue
            note = reading.notes.get(f"{section}.{key}" if section else key)
            note = " ".join(note.split()) if note else ""
            lines.append(f"{key} = {_toml_value(value)}" + (f"  # {note}" if note else ""))

    key_lines(None, reading.data)
    for section, table in reading.data.items():
        if not isinstance(table, dict):
            continue
        plain = {key: value for key, value in table.items() if not isinstance(value, dict)}
        if plain or not table:
            lines.append("")
            lines.append(
                f"[{section}]"
                + (f"  # {reading.notes[section]}" if section in reading.notes else "")
            )
            key_lines(section, plain)
        for name, sub in table.items():
            if isinstance(sub, dict):
                note = reading.notes.get(f"{section}.{name}")
                lines += ["", f"[{section}.{name}]" + (f"  # {note}" if note else "")]
                key_lines(f"{section}.{name}", sub)
    if reading.comments:
        lines += ["", "# What the probes' answers showed, without a key of their own:"]
        lines += ["# " + " ".join(comment.split()) for comment in reading.comments]
    if "users" not in reading.data:
        lines += [
            "",
            "# Credentials per role (used to log in): `conformance init --user ROLE:NAME:PASSWORD`",
            "# tries them and writes them here, or write them yourself:",
            "# [users.admin]",
            '# username = "admin"',
            '# password = "..."',
        ]
    return "\n".join(lines) + "\n"
