"""Scoping a mutant's suite run to the checks that can reach what the mutant changed.

A mutant must be caught by exactly its declared IDs: by the whole suite, run on it. Most
mutants change one function or one route of the reference app; most checks never execute
it, and on those the mutant answers exactly as the reference app does. So:

- ``recorder``: one suite run on the reference app records, per check, which of the
  reference app's functions it executed and which paths it requested (``reach.json``);
  what runs outside any check (start-up, collection, session fixtures) is "global".
- ``changes``: in the mutant's own suite process, before its target is started, the
  reference app and the mutant are compared (module globals, routes, dependencies,
  handlers, middleware, settings, the document); what the comparison cannot place on a
  function or a path makes the run whole.
- ``selector``: keeps the checks whose reach meets the changes (every check, when the
  changes touch the global reach or are not understood) and writes what it kept.

A check that shares nothing with the change answers as on the reference app, which passes
every check: leaving it out cannot hide a failure. ``CONFORMANCE_WHOLE_MUTANTS=1`` runs
every mutant on the whole suite.
"""
