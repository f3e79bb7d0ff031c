"""Writes of announcements. Every change of state goes through ``announcement_move`` and
``Announcement.TRANSITIONS``; each write is atomic and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.access import roles_of
from appraisal.announcements.models import Announcement, AnnouncementAttachment, valid_link
from appraisal.audit import audit_log
from appraisal.errors import DomainError, NotAllowed
from appraisal.models import Campaign, User
from appraisal.uploads import check_upload, delete_on_commit

# How far ahead a notice may be scheduled.
SCHEDULE_AHEAD = dt.timedelta(days=366)

EDITABLE_FIELDS = ("kind", "title", "body", "link", "link_label")


class AnnouncementError(DomainError):
    pass


def _require_office(actor: User) -> None:
    if not roles_of(actor).office:
        raise NotAllowed(_("Only the office publishes announcements."))


def announcement_save(
    *,
    campaign: Campaign,
    actor: User,
    values: dict[str, Any],
    announcement: Announcement | None = None,
) -> Announcement:
    """Create a draft, or change one. Only a draft changes: a scheduled notice goes back
    to draft first, a published one is withdrawn and written anew."""
    _require_office(actor)
    fields = {k: values[k] for k in EDITABLE_FIELDS if k in values}
    if not valid_link(fields.get("link", "")):
        raise AnnouncementError(_("The link is not a path on this site or a web address."))
    with transaction.atomic():
        if announcement is None:
            announcement = Announcement.objects.create(
                campaign=campaign, created_by=actor, **fields
            )
            action = "appraisal.announcement.created"
        else:
            announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
            if not announcement.editable:
                raise AnnouncementError(_("Only a draft can be changed."))
            for name, value in fields.items():
                setattr(announcement, name, value)
            announcement.save(update_fields=[*fields, "updated_at"])
            action = "appraisal.announcement.changed"
        audit_log(actor=actor, action=action, obj=announcement)
    return announcement


def announcement_attach(*, announcement: Announcement, actor: User, uploads: list[Any]) -> None:
    """Attach files (checked by ``appraisal.uploads``) to a draft."""
    _require_office(actor)
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        if not locked.editable:
            raise AnnouncementError(_("Only a draft can be changed."))
        names = []
        for upload in uploads:
            _extension, content_type = check_upload(upload)
            AnnouncementAttachment.objects.create(
                announcement=locked,
                file=upload,
                name=(upload.name or "")[:200],
                content_type=content_type,
                size=upload.size or 0,
                uploaded_by=actor,
            )
            names.append((upload.name or "")[:200])
        audit_log(
            actor=actor, action="appraisal.announcement.attached", obj=locked, data={"files": names}
        )


def announcement_detach(*, attachment: AnnouncementAttachment, actor: User) -> None:
    _require_office(actor)
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=attachment.announcement_id)
        if not locked.editable:
            raise AnnouncementError(_("Only a draft can be changed."))
        name = attachment.name
        delete_on_commit(attachment.file)
        attachment.delete()
        audit_log(
            actor=actor, action="appraisal.announcement.detached", obj=locked, data={"file": name}
        )


def announcement_move(
    *,
    announcement: Announcement,
    action: str,
    actor: User | None,
    reason: str = "",
    publish_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Announcement:
    """The one way an announcement changes state, along ``Announcement.TRANSITIONS``.

    ``actor`` is None only for the scheduler (``publish_scheduled``), which may publish a
    scheduled notice whose time has come and nothing else. The row is locked and its state
    read again, so a second run or a second click finds it moved and changes nothing."""
    now = now or timezone.now()
    if actor is not None:
        _require_office(actor)
    reason = reason.strip()
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
        move = locked.moves().get(action)
        if move is None:
            raise AnnouncementError(
                _("An announcement that is “%(state)s” cannot do that.")
                % {"state": locked.get_state_display()}
            )
        if actor is None and not (
            action == "publish"
            and locked.state == Announcement.State.SCHEDULED
            and locked.publish_at is not None
            and locked.publish_at <= now
        ):
            raise AnnouncementError(_("Only a scheduled notice whose time has come."))
        if move.reason and not reason:
            raise AnnouncementError(_("Give the reason."))
        data: dict[str, Any] = {"from": locked.state, "to": move.to}
        fields = ["state", "updated_at"]
        if action == "schedule":
            if publish_at is None or publish_at <= now:
                raise AnnouncementError(_("Choose a time in the future."))
            if publish_at > now + SCHEDULE_AHEAD:  # a mistyped year, not a plan
                raise AnnouncementError(_("Choose a time within the next year."))
            locked.publish_at = publish_at
            data["publish_at"] = timezone.localtime(publish_at).isoformat()
            fields.append("publish_at")
        elif action == "unschedule":
            locked.publish_at = None
            fields.append("publish_at")
        elif action == "publish":
            locked.published_at = now
            fields.append("published_at")
            if actor is None:
                data["scheduled"] = True
        elif action == "withdraw":
            locked.withdrawn_at = now
            locked.withdrawal_reason = reason
            data["reason"] = reason
            fields += ["withdrawn_at", "withdrawal_reason"]
        locked.state = move.to
        locked.save(update_fields=fields)
        audit_log(actor=actor, action=f"appraisal.announcement.{move.to}", obj=locked, data=data)
    return locked


def announcements_publish_due(*, now: dt.datetime | None = None) -> list[Announcement]:
    """Publish every scheduled notice whose time has come (run by cron through
    ``manage.py publish_scheduled``). Safe to run twice or at once: each notice moves
    under its row lock, and one already moved is skipped."""
    now = now or timezone.now()
    due = list(
        Announcement.objects.filter(
            state=Announcement.State.SCHEDULED, publish_at__lte=now
        ).values_list("pk", flat=True)
    )
    published = []
    for pk in due:
        try:
            published.append(
                announcement_move(
                    announcement=Announcement(pk=pk), action="publish", actor=None, now=now
                )
            )
        except (AnnouncementError, Announcement.DoesNotExist):
            continue  # another run got there first, or the office unscheduled it
    return published
