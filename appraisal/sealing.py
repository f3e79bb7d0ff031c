"""Sealed envelopes: what a voter or respondent chose, unreadable without the secret key.

A ballot (or an identified questionnaire response) is stored while its round is open as
an envelope encrypted with AES-256-GCM (the ``cryptography`` package; nothing here is
hand-rolled). Its key is derived with HKDF-SHA256 from Django's ``SECRET_KEY`` and the
scope it belongs to (``"ballot"`` and the round id, ``"survey"`` and the survey id), so
the database never holds a key and an envelope cannot be moved to another round. The
close opens every envelope with the current key or one of ``SECRET_KEY_FALLBACKS``.

Layout of an envelope (bytes): version (1) · key id (4) · nonce (12) · ciphertext+tag.
The key id (a fingerprint of the key, not the key) only tells "sealed with a key this
server no longer has" from "altered". The plaintext is padded to a fixed size per scope,
so the length of an envelope says nothing about what is in it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

VERSION = 1
HEADER = struct.Struct(">B4s12s")  # version, key id, nonce


class Unopenable(Exception):
    """An envelope no key of this server opens; ``reason`` says why, in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class _Key:
    aead: AESGCM
    key_id: bytes


@functools.lru_cache(maxsize=64)  # one derivation per key and round, not per ballot
def _derive(secret: str, scope: str) -> _Key:
    material = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"pingyi sealed envelope v1",
        info=scope.encode(),
    ).derive(secret.encode())
    key_id = hmac.new(material, b"key id", hashlib.sha256).digest()[:4]
    return _Key(AESGCM(material), key_id)


def _keys(scope: str) -> list[_Key]:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_derive(s, scope) for s in secrets]


def _aad(scope: str) -> bytes:
    return f"pingyi:{scope}".encode()


def _pad(plaintext: bytes, size: int) -> bytes:
    if len(plaintext) > size:
        raise ValueError("plaintext larger than its envelope")
    return struct.pack(">I", len(plaintext)) + plaintext + bytes(size - len(plaintext))


def seal(*, scope: str, plaintext: bytes, size: int) -> bytes:
    """Encrypt ``plaintext`` padded to ``size`` bytes, with the current secret key."""
    key = _derive(settings.SECRET_KEY, scope)
    nonce = os.urandom(12)
    body = key.aead.encrypt(nonce, _pad(plaintext, size), _aad(scope))
    return HEADER.pack(VERSION, key.key_id, nonce) + body


class Opener:
    """Opens the envelopes of one scope, deriving each key once."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self.keys = _keys(scope)

    def open(self, sealed: bytes) -> bytes:
        sealed = bytes(sealed)
        if len(sealed) < HEADER.size + 16 + 4:
            raise Unopenable(_("it is too short to be a sealed ballot: damaged"))
        version, key_id, nonce = HEADER.unpack_from(sealed)
        if version != VERSION:
            raise Unopenable(_("it has an unknown format (version %(v)d)") % {"v": version})
        candidates = [k for k in self.keys if hmac.compare_digest(k.key_id, key_id)]
        if not candidates:
            raise Unopenable(
                _(
                    "it was sealed with a secret key this server no longer has (key id "
                    "%(key)s); put that key back in SECRET_KEY_FALLBACKS"
                )
                % {"key": key_id.hex()}
            )
        for key in candidates:
            try:
                padded = key.aead.decrypt(nonce, sealed[HEADER.size :], _aad(self.scope))
            except InvalidTag:
                continue
            (length,) = struct.unpack_from(">I", padded)
            return padded[4 : 4 + length]
        raise Unopenable(_("it was altered, or belongs to another round: authentication failed"))


def rewrite_tables(tables: Sequence[str], *, discard: str, column: str, value: int) -> None:
    """Inside the closing transaction: empty ``tables`` and write their rows back, less the
    rows of ``discard`` whose ``column`` is ``value`` (the envelopes just opened).

    The rows written back carry the closing transaction's id, in the order of their
    random ids. On PostgreSQL the tables are emptied with TRUNCATE, which gives them new
    files and removes the old ones, with every row version the voters' transactions
    wrote, at commit, whatever snapshot another session still holds (a DELETE or a
    VACUUM FULL would keep versions such a snapshot can see). ``tables`` come in the
    order voters' transactions write them, the envelopes last, so the locks are taken
    in that order and a voter waiting for one never holds another the close wants.
    Elsewhere (SQLite), the caller deletes and re-inserts its rows.
    """
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        # TRUNCATE refuses tables with deferred foreign-key checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
        for table in tables:
            where = f" WHERE {column} <> %s" if table == discard else ""
            cursor.execute(
                f'CREATE TEMPORARY TABLE "keep_{table}" ON COMMIT DROP AS'
                f' SELECT * FROM "{table}"{where}',
                [value] if where else [],
            )
        cursor.execute(f"TRUNCATE {', '.join(tables)}")
        for table in tables:
            cursor.execute(f'INSERT INTO "{table}" SELECT * FROM "keep_{table}" ORDER BY id')
            cursor.execute(f'DROP TABLE "keep_{table}"')


def checkpoint_after_commit() -> None:
    """SQLite: once the close commits, copy the write-ahead log into the database and empty
    it, so the ``-wal`` file no longer holds the pages written while people voted."""

    def checkpoint() -> None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    transaction.on_commit(checkpoint, robust=True)


def rewrite_rows(rows: QuerySet[Any]) -> None:
    """Elsewhere than PostgreSQL (SQLite): delete the rows and write them again in the order
    of their random ids, so their ``rowid`` no longer follows the order they came in."""
    kept = list(rows.order_by("id"))
    rows.delete()
    rows.model._default_manager.bulk_create(kept, batch_size=500)
