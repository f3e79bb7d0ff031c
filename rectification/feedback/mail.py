"""Mail the closure notices not yet mailed: one message per deputy, run by
``send_reminders``. Each batch is claimed (``mailed_at`` set where it is still empty)
before it is sent, so two runs at once never mail a notice twice; a message that fails
is released for the next run."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rectification.feedback.models import ClosureNotice
from rectification.feedback.selectors import opinion_label


def mail_unsent_notices() -> int:
    """Returns how many notices went out."""
    pending = list(
        ClosureNotice.objects.filter(mailed_at__isnull=True)
        .exclude(person__email="")
        .values_list("pk", "person_id")
    )
    by_person: dict[int, list[int]] = defaultdict(list)
    for pk, person_id in pending:
        by_person[person_id].append(pk)
    if not by_person:
        return 0
    site = getattr(settings, "SITE_URL", "")
    mailed = 0
    with get_connection() as connection:
        for ids in by_person.values():
            claimed_at = timezone.now()
            ClosureNotice.objects.filter(pk__in=ids, mailed_at__isnull=True).update(
                mailed_at=claimed_at
            )
            mine = list(
                ClosureNotice.objects.filter(pk__in=ids, mailed_at=claimed_at)
                .select_related("person", "item__appraisal__unit", "item__opinion_item__opinion")
                .order_by("item__appraisal__unit__name", "item__opinion_item__number", "item_id")
            )
            if not mine:
                continue  # another run took them
            lines = [_("Rectification items built on a problem you raised have been closed:"), ""]
            for n in mine:
                item = n.item
                lines.append(
                    f"{item.appraisal.unit.name} · "
                    f"{opinion_label(item.opinion_item.opinion, item.opinion_item.number)} · "
                    f"{item.problem[:60]}"
                )
                closed_on = item.closed_on.isoformat() if item.closed_on else ""
                lines.append(f"  {_('Closed (销号)')} {closed_on}  {item.closing_note}".rstrip())
            lines += [
                "",
                _("Follow the progress on your page: %(url)s")
                % {"url": f"{site}{reverse('appraisal:deputy_home')}"},
                _("This message was sent by the appraisal system; do not reply."),
            ]
            message = EmailMessage(
                subject=_("Rectification items closed: %(n)d") % {"n": len(mine)},
                body="\n".join(lines),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[mine[0].person.email],
                connection=connection,
            )
            try:
                message.send()
            except Exception:
                # Released for the next run; the others still go out now.
                ClosureNotice.objects.filter(pk__in=[n.pk for n in mine]).update(mailed_at=None)
                continue
            mailed += len(mine)
    return mailed
