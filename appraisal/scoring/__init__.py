"""Scoring rounds and the secret ballot (测评): DESIGN.md §3–§4."""
