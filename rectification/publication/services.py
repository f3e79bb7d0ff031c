"""Publishing an appraisal's rectification progress: one move, audited."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.access import roles_of
from appraisal.audit import audit_log
from appraisal.errors import DomainError, NotAllowed
from appraisal.models import Appraisal, User
from rectification.opinions.models import AppraisalOpinion
from rectification.publication.models import ProgressPublication


class PublicationError(DomainError):
    pass


def progress_publication_move(*, appraisal: Appraisal, action: str, actor: User) -> None:
    """Publish (or withdraw) the appraisal's rectification progress on the public portal,
    along ``ProgressPublication.TRANSITIONS``. The office only; a stale click changes
    nothing and says so."""
    if not roles_of(actor).office:
        raise NotAllowed(_("Only the office publishes."))
    if action not in ProgressPublication.TRANSITIONS:
        raise PublicationError(_("Unknown action."))
    sources, to = ProgressPublication.TRANSITIONS[action]
    now = timezone.now()
    with transaction.atomic():
        Appraisal.objects.select_for_update().get(pk=appraisal.pk)  # serialises first rows
        current = (
            ProgressPublication.objects.select_for_update().filter(appraisal=appraisal).first()
        )
        state = current.state if current else ""
        if (
            to == ProgressPublication.State.PUBLISHED
            and not AppraisalOpinion.objects.filter(appraisal=appraisal)
            .exclude(status=AppraisalOpinion.Status.DRAFT)
            .exists()
        ):
            raise PublicationError(
                _("No appraisal opinion has been issued to this unit: there is no progress yet.")
            )
        if state not in sources:
            raise PublicationError(
                _("The progress is already published.")
                if to == ProgressPublication.State.PUBLISHED
                else _("The progress is not published.")
            )
        if current is None:
            try:
                with transaction.atomic():
                    current = ProgressPublication.objects.create(
                        appraisal=appraisal, state=to, changed_at=now, changed_by=actor,
                        published_at=now,
                    )  # fmt: skip
            except IntegrityError:
                raise PublicationError(_("The progress is already published.")) from None
        else:
            current.state = to
            current.changed_at = now
            current.changed_by = actor
            fields = ["state", "changed_at", "changed_by"]
            if to == ProgressPublication.State.PUBLISHED:
                current.published_at = now
                fields.append("published_at")
            current.save(update_fields=fields)
        audit_log(
            actor=actor,
            action=f"rectification.progress.{to}",
            obj=appraisal,
            data={"from": state or "unpublished", "to": to},
        )
