"""Workflows of the community app: one module per area, functions named for what they do."""
