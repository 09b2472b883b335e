"""The mutant catalogue: variants of the reference app that each break one behaviour.

Every module here (except those starting with ``_``) defines ``app``, the ASGI app to
test, and ``CAUGHT_BY``, the exact set of check IDs the suite must fail on it. A module
may define ``PROFILE``, TOML text for the profile the suite runs with. Mutants are built
from the reference app and change as little as they can, so a mutant that escapes means
a check that does not look.
"""
