"""Who reaches an announcement: the office any of them, the public only published ones."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from appraisal.access import roles_of
from appraisal.announcements.models import Announcement, AnnouncementAttachment
from appraisal.models import User


def get_announcement_for_office(user: User | AnonymousUser, pk: int) -> Announcement:
    if not roles_of(user).office:
        raise PermissionDenied
    announcement = Announcement.objects.select_related("campaign").filter(pk=pk).first()
    if announcement is None:
        raise Http404
    return announcement


def get_attachment_for_user(user: User | AnonymousUser, pk: int) -> AnnouncementAttachment:
    """The office reads any attachment; everyone else only one of a published notice."""
    attachment = AnnouncementAttachment.objects.select_related("announcement").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    if attachment.announcement.state != Announcement.State.PUBLISHED and not roles_of(user).office:
        raise Http404
    return attachment
