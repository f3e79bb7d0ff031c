"""What every benchmark script shares: the environment of a production-like process, a
fresh database per run, Django set up in this process, and fill-then-measure in a fresh
process (so the figures are not those of a warm process that has just written the data)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable


def bench_env(database_url: str, **extra: str) -> dict[str, str]:
    """Settings as in production (DEBUG off, a random key), on the bench database."""
    return {
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(50)),
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def recreate_database(database_url: str) -> None:
    """A fresh benchmark database each run: no schema or data left from an older run."""
    import psycopg

    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(env: dict[str, str], *, plain_static: bool = True) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    if plain_static:
        from django.conf import settings

        # Pages render here without collectstatic.
        settings.STORAGES["staticfiles"]["BACKEND"] = (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
        )


def fill_then_measure(
    script: str,
    env: dict[str, str],
    fill: Callable[[], int],
    measure: Callable[[int], None],
    filled: Callable[[], str],
) -> None:
    """``script --measure ID`` measures in this process; otherwise fill, say what was
    filled, and run the script again in a fresh process to measure."""
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        measure(int(sys.argv[2]))
        return
    started = time.perf_counter()
    pk = fill()
    print(f"filled {filled()} in {time.perf_counter() - started:.1f}s")
    subprocess.run(
        [sys.executable, script, "--measure", str(pk)], env={**os.environ, **env}, check=True
    )
