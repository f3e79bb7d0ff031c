"""Valid examples of the announcement, publication and portal routes for the hostile-input
probe (tests/test_hostile_input.py)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from appraisal.announcements import services as announcements
from appraisal.announcements.models import Announcement
from tests.conftest import World

PDF = b"%PDF-1.7\n%%EOF\n"


def notice(
    world: World, *, title: str = "关于开展工作评议的公告", publish: bool = False
) -> Announcement:
    a = announcements.announcement_save(
        campaign=world.campaign,
        actor=world.office,
        values={"kind": "launch", "title": title, "body": "欢迎反映意见。", "link": "/opinion/",
                "link_label": "反映意见"},
    )  # fmt: skip
    if publish:
        a = announcements.announcement_move(announcement=a, action="publish", actor=world.office)
    return a


def examples(world: World) -> dict[str, dict[str, str]]:
    draft = notice(world, title="草稿公告")
    announcements.announcement_attach(
        announcement=draft, actor=world.office, uploads=[SimpleUploadedFile("附件.pdf", PDF)]
    )
    published = notice(world, title="已发布公告")
    announcements.announcement_attach(
        announcement=published, actor=world.office, uploads=[SimpleUploadedFile("名单.pdf", PDF)]
    )
    published = announcements.announcement_move(
        announcement=published, action="publish", actor=world.office
    )
    c, a = str(world.campaign.pk), str(world.appraisal_a.pk)
    d, p = str(draft.pk), str(published.pk)
    return {
        "appraisal:announcements": {"campaign_pk": c},
        "appraisal:announcement_new": {"campaign_pk": c},
        "appraisal:announcement": {"pk": d},
        "appraisal:announcement_edit": {"pk": d},
        "appraisal:announcement_move": {"pk": d},
        "appraisal:announcement_attach": {"pk": d},
        "appraisal:announcement_detach": {"pk": str(draft.attachments.get().pk)},
        "appraisal:announcement_file": {"pk": str(published.attachments.get().pk)},
        "appraisal:announcement_poster": {"pk": p},
        "rectification:progress_publication": {"pk": a},
        "portal:notice": {"pk": p},
        "portal:results": {"pk": "1"},
        "portal:appraisal": {"pk": a},
        "portal:year": {"year": str(world.campaign.year)},
    }
