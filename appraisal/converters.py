"""Path converters that refuse what the database cannot hold before a view runs.

``<id:pk>`` takes 1–18 ASCII digits, so every id fits a signed 64-bit column (Django's
``<int:…>`` passes 2^63 on, which SQLite cannot bind); ``<code:…>`` takes the letters and
digits of a printed one-time code; ``<token:…>`` the URL-safe alphabet of a survey link.
Anything else is no match: a 404, never a server error. Registered on import by
``config.urls``.
"""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(int(value))


class CodeConverter:
    regex = "[0-9A-Za-z]{1,40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TokenConverter:
    regex = "[0-9A-Za-z_-]{8,32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IdConverter, "id")
register_converter(CodeConverter, "code")
register_converter(TokenConverter, "token")
