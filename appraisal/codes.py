"""One-time codes that people read off a slip or type on a phone: voting codes, survey
codes and the public's receipt codes all come from here, in one alphabet."""

from __future__ import annotations

import secrets

# No 0/O and no 1/I/L: nothing a person could misread. 31^10 ≈ 8 × 10^14 codes.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10


def new_code(length: int = LENGTH) -> str:
    """A random code from a cryptographic source; uniqueness is the database's to enforce."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))
