"""Observation: every exchange of a run, judged once (document, secrets, hygiene, findings)."""
