"""Wires the project's own test plugins (the conftest holds no logic)."""

pytest_plugins = ["tests.run_order", "tests.reach.recording"]
