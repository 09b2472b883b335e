"""Apps of our own that deviate from SPEC.md the way real projects do, each with its profile."""
