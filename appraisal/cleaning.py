"""Characters people paste that nobody means to store, taken out of typed and imported text.

Control characters: PowerPoint and Word put a vertical tab (or a form feed) in the
clipboard for a line break, which becomes one; the invisible rest is dropped. Stored, they
would break every Excel export (openpyxl refuses them in a cell).

Invisible format characters that reorder or hide text in print: the bidirectional
embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069; a U+202E prints the
rest of a line backwards), the left-to-right and right-to-left marks and the Arabic letter
mark, the zero-width space, the word joiner and the byte-order mark. Nothing Chinese needs
them; the zero-width joiners that emoji and some scripts need stay.
"""

from __future__ import annotations

import re

_UNWANTED = re.compile(
    "[\x01-\x08\x0b\x0c\x0e-\x1f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)


def has_unwanted(value: str) -> bool:
    return _UNWANTED.search(value) is not None


def clean_text(value: str) -> str:
    """``value`` without the characters above; a vertical tab or form feed becomes a line
    break."""
    return _UNWANTED.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "", value)
