import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from appraisal.audit import audit_log
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def sign_in(client, username, password, ip):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_wrong_passwords_lock_that_username_from_that_address_only(world, client):
    hall = "10.0.0.7"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "deputy", "wrong-password", hall)
    locked = sign_in(client, "deputy", PASSWORD, hall)
    assert locked.status_code == 429
    assert "密码错误次数过多" in locked.content.decode()
    # The rest of the meeting hall (same IP) still signs in...
    assert sign_in(client, "liaison_a", PASSWORD, hall).status_code == 302
    client.logout()
    # ...and so does the same deputy from another device.
    assert sign_in(client, "deputy", PASSWORD, "10.0.0.8").status_code == 302


def test_a_good_password_signs_in_and_lands_home(world, client):
    response = sign_in(client, "office", PASSWORD, "127.0.0.1")
    assert response.status_code == 302
    assert client.get(response.url).status_code == 302  # "/" sends on to the office page


def test_sessions_expire_after_inactivity(world, client, monkeypatch):
    from django.contrib.sessions.models import Session

    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert sign_in(client, "office", PASSWORD, "127.0.0.1").status_code == 302
    key = client.cookies["sessionid"].value
    expiry = Session.objects.get(pk=key).expire_date

    # Within a minute, pages do not rewrite the session...
    client.get("/office/")
    assert Session.objects.get(pk=key).expire_date == expiry
    # ...a minute later, activity pushes the expiry forward.
    import time as time_module

    later = time_module.time() + 61
    monkeypatch.setattr("appraisal.middleware.time.time", lambda: later)
    client.get("/office/")
    assert Session.objects.get(pk=key).expire_date > expiry


def test_an_idle_session_is_signed_out(world, client):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    sign_in(client, "office", PASSWORD, "127.0.0.1")
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/office/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_password_validators_are_on():
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator"} <= names


@pytest.mark.django_db(transaction=True)
def test_audit_rows_are_written_only_inside_a_transaction(world):
    with pytest.raises(RuntimeError):
        audit_log(actor=world.office, action="test.outside")


def _manage(*args, **env):
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="pingyi.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="pingyi.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
