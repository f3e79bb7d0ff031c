"""Sign-in letters: the token, issuing letters and setting a password with one.

The token is short enough to type from paper: ``<user id>.<time>.<mac>``, all in
base 36 or hex, where the MAC (keyed with the secret key) covers the id, the time and
the account's current password field and last sign-in. Setting a password changes the
latter, so a letter works once; after ``SIGNIN_LETTER_DAYS`` days it has expired.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36
from django.utils.translation import gettext as _

from appraisal.audit import audit_log
from appraisal.errors import DomainError, NotAllowed
from appraisal.models import Campaign, User

SALT = "pingyi.signin-letter"


class LetterInvalid(DomainError):
    pass


@dataclass(frozen=True)
class Letter:
    user: User
    token: str
    valid_until: datetime


def letter_days() -> int:
    return int(getattr(settings, "SIGNIN_LETTER_DAYS", 7))


def _now() -> int:
    return int(time.time())


def _genuine(pk: int, issued: int) -> str:
    # That the office printed a letter for this account at this time: lets a used letter be
    # told from a forged one without saying anything about an account nobody wrote to.
    return salted_hmac(f"{SALT}.genuine", f"{pk}:{issued}", algorithm="sha256").hexdigest()[:16]


def _mac(user: User, issued: int) -> str:
    # Covers the password field and last sign-in: once either changes, the letter is spent.
    last = user.last_login.isoformat() if user.last_login else ""
    value = f"{user.pk}:{issued}:{user.password}:{last}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:16]


def _token_for(user: User, issued: int) -> str:
    return (
        f"{int_to_base36(user.pk)}.{int_to_base36(issued)}."
        f"{_genuine(user.pk, issued)}{_mac(user, issued)}"
    )


def _used() -> LetterInvalid:
    return LetterInvalid(
        _("This sign-in letter has already been used. Sign in with your password.")
    )


def letter_user(token: str, *, for_update: bool = False) -> User:
    """The account a letter's token opens, or ``LetterInvalid`` (expired, used, forged)."""
    parts = token.split(".")
    try:
        if len(parts) != 3 or max(len(p) for p in parts[:2]) > 12:
            raise ValueError
        pk, issued = base36_to_int(parts[0]), base36_to_int(parts[1])
    except ValueError:
        raise LetterInvalid(_("This sign-in link is not valid. Check the letter.")) from None
    genuine, state = parts[2][:16], parts[2][16:]
    if not constant_time_compare(genuine, _genuine(pk, issued)):
        # Forged: the same answer whatever the account, so nothing is learnt about it.
        raise LetterInvalid(_("This sign-in link is not valid. Check the letter."))
    # Letters are never for staff: one printed before its person became staff (or a
    # superuser) must not set that account's password.
    users = User.objects.filter(pk=pk, is_active=True, is_staff=False, is_superuser=False)
    user = (users.select_for_update() if for_update else users).first()
    if user is None:
        raise LetterInvalid(_("This sign-in link is not valid. Check the letter."))
    if not constant_time_compare(state, _mac(user, issued)):
        # A genuine letter, spent: the password or the last sign-in changed since printing.
        raise _used()
    if _now() - issued > letter_days() * 24 * 3600:
        raise LetterInvalid(_("This sign-in letter has expired. Ask the office for a new one."))
    return user


def _check_recipients(users: Sequence[User]) -> None:
    if any(u.is_staff or u.is_superuser for u in users):
        raise NotAllowed(
            _(
                "Sign-in letters are for deputies and unit teams; "
                "staff accounts are set up in the administration."
            )
        )


def letters_issue(
    *, users: Sequence[User], actor: User, campaign: Campaign | None = None
) -> list[Letter]:
    """Letters for these people (not staff), recorded in the audit log with who got one."""
    if not actor.is_office:
        raise NotAllowed(_("Only the office prints sign-in letters."))
    users = list(users)
    _check_recipients(users)
    if not users:
        raise DomainError(_("Choose at least one person."))
    issued = _now()
    valid_until = timezone.now() + timedelta(days=letter_days())
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="appraisal.signin.letters_issued",
            campaign=campaign,
            data={
                "users": [u.pk for u in users],
                "names": [u.get_full_name() for u in users],
                "days": letter_days(),
            },
        )
    return [Letter(user=u, token=_token_for(u, issued), valid_until=valid_until) for u in users]


def password_set_with_letter(*, token: str, password: str) -> User:
    """Set the password a letter's owner chose; the letter is spent by it."""
    with transaction.atomic():
        user = letter_user(token, for_update=True)  # two tabs racing: the second waits, fails
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_log(actor=user, action="appraisal.signin.password_set", obj=user)
    return user
