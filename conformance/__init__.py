"""The conformance checks: one module per SPEC.md area, each check tagged with its ID.

Run them with ``pytest --pyargs conformance --target-app=module:app`` (or ``--target-url``,
``--target-serve``). They speak only HTTP and WebSocket to the target.
"""
