"""Reusable assertions over HTTP responses, shared by the checks and the schemathesis hooks."""
