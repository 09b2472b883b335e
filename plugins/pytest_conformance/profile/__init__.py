"""The profile: what a target promises (its TOML sections), run settings, and check gating."""
