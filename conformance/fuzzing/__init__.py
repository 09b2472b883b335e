"""The fuzz area's machinery: schemathesis generates cases, the suite's target answers them.

``runner`` loads the target's OpenAPI document through the target's own client, draws cases
with a fixed seed, sends each one through ``Target.client`` (so in-process, served and URL
targets are fuzzed alike), and holds every answer to schemathesis's built-in checks and
ours (``checks.ConformanceChecks``, given the suite's profile). ``verdicts`` files each
failure under its FUZZ ID. Nothing here imports ``schemathesis_conformance``: that extension
imports ``checks`` (imports run extension → checks → plugin).
"""
