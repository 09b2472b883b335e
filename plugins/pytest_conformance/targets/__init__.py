"""Targets: how the suite reaches an app (in-process, served, remote), its transports and bounds."""
