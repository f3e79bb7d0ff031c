from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from appraisal.audit import audit_log
from appraisal.errors import DomainError, NotAllowed
from appraisal.models import SelfReview, User
from appraisal.selfreview.access import is_unit_member
from appraisal.selfreview.services import selfreview_approval_void
from surveys.answers.models import FindingAnswer
from surveys.findings.models import Finding


def finding_answer_save(
    *, finding: Finding, actor: User, response: str, text: str
) -> FindingAnswer:
    """The unit answers a forwarded finding while its self-review is still a draft."""
    appraisal = finding.appraisal
    if not is_unit_member(actor, appraisal):
        raise NotAllowed(_("Only the unit's own team answers its forwarded problems."))
    if finding.status != Finding.Status.VERIFIED or finding.forwarded_at is None:
        raise DomainError(_("Only verified problems forwarded to the unit are answered."))
    if response not in FindingAnswer.Response.values:
        raise DomainError(_("Choose how the unit responds."))
    with transaction.atomic():
        review = SelfReview.objects.select_for_update().filter(appraisal=appraisal).first()
        if review is not None and not review.editable:
            raise DomainError(
                _("The self-review is submitted; answers change with the next revision.")
            )
        before = FindingAnswer.objects.filter(finding=finding).values("response", "text").first()
        answer, created = FindingAnswer.objects.update_or_create(
            finding=finding,
            defaults={"response": response, "text": text[:4000], "updated_by": actor},
        )
        if before != {"response": answer.response, "text": answer.text}:
            # The head approved the report with other answers: that approval lapses.
            selfreview_approval_void(
                appraisal=appraisal, actor=actor, reason=f"finding {finding.pk} answered"
            )
        audit_log(
            actor=actor,
            action="surveys.finding.answered",
            obj=answer,
            campaign=appraisal.campaign,
            data={"finding": finding.pk, "response": response, "created": created},
        )
    return answer
