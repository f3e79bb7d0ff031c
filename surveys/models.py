"""Layer 2 — investigation: surveys, access codes, activities, findings (issue #4)."""
