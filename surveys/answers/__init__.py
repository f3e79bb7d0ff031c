"""The unit's answers to the verified findings forwarded to it (part of its self-review)."""
