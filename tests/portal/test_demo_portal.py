"""The demo's public face: three notices (launch with the opinion form's QR code, a
questionnaire call, one withdrawn with its reason), an open public questionnaire, last
year's result, and unit1's rectification progress once the ledger demo has run."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from appraisal.announcements.models import Announcement
from appraisal.models import Appraisal, AuditEvent
from surveys.models import Survey

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_notices_and_a_populated_portal(settings, client):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    notices = {a.kind: a for a in Announcement.objects.exclude(state="draft")}
    launch, call = notices["launch"], notices["questionnaire"]
    assert launch.state == call.state == "published"
    assert launch.link == reverse("surveys:public_opinion")
    survey = Survey.objects.get(access="link", state="open")
    assert call.link == reverse("surveys:answer", args=[survey.token])
    withdrawn = Announcement.objects.get(state="withdrawn")
    assert withdrawn.withdrawal_reason
    assert AuditEvent.objects.filter(
        action="appraisal.announcement.withdrawn", object_id=str(withdrawn.pk)
    ).exists()
    draft = Announcement.objects.get(state="draft")
    settings.DEBUG = False
    html = client.get("/").content.decode()
    assert launch.title in html and call.title in html and survey.title in html
    assert withdrawn.title not in html and draft.title not in html
    assert "2025年度工作评议" in html
    year = client.get(reverse("portal:year", args=[2025])).content.decode()
    assert "集中评议会满意度测评" in year


def test_the_ledger_demo_publishes_unit1s_progress(settings, client):
    settings.DEBUG = True
    for command in ("load_demo", "load_demo_opinions", "load_demo_ledger", "load_demo_ledger"):
        call_command(command, stdout=StringIO())
    settings.DEBUG = False
    unit1 = Appraisal.objects.get(campaign__year=2026, unit__name="市住房和城乡建设局")
    html = client.get(reverse("portal:appraisal", args=[unit1.pk])).content.decode()
    assert "评议意见第1条" in html and "已销号" in html
    assert AuditEvent.objects.filter(action="rectification.progress.published").count() == 1
    unit2 = Appraisal.objects.get(campaign__year=2026, unit__name="市交通运输局")
    other = client.get(reverse("portal:appraisal", args=[unit2.pk])).content.decode()
    assert "常委会尚未公开该单位的整改进展" in other
