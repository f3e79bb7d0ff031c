"""Roster import shows what will change and asks to confirm before writing."""

import re

import pytest
from django.urls import reverse

from appraisal.models import AuditEvent, User
from tests.appraisal.test_roster import PEOPLE, check, counts, upload, workbook

pytestmark = pytest.mark.django_db


def test_checking_a_file_writes_nothing_and_previews_by_sheet(world, login):
    client = login(world.office)
    before = counts()
    response = check(client, world.campaign, workbook())
    html = response.content.decode()
    assert response.status_code == 200
    assert counts() == before  # not one row, not one audit row
    assert "请核对将要导入的变更" in html and "确认导入" in html
    for name in ["市医疗保障局", "常委会组成人员", "王磊（wanglei）", "孙丽（sunli）"]:
        assert name in html, name
    # Per sheet: new / changed / unchanged.
    assert re.search(r"<td>人员</td><td class=\"num\">5</td><td class=\"num\">0</td>", html)


def test_confirming_imports_and_names_who_was_created_and_updated(world, login):
    client = login(world.office)
    upload(client, world.campaign, workbook())
    people = [row[:] for row in PEOPLE]
    people[1][1] = "王磊磊"  # a changed name
    people.append(["zhouqi", "周琦", "代表委员", "", "", "人大代表", ""])
    response = upload(client, world.campaign, workbook(people=people))
    html = response.content.decode()
    assert "名册已导入" in html
    created = html[html.find("已新增") :]
    assert "周琦（zhouqi）" in created[:200]
    changed = html[html.find("已变更") :]
    assert "王磊磊（wanglei）" in changed[:200]
    assert "李娜" not in html[html.find("已新增") :]  # unchanged rows are only counted
    assert User.objects.get(username="wanglei").full_name == "王磊磊"
    assert reverse("appraisal:signin_letters", args=[world.campaign.pk]) in html


def test_confirm_without_a_checked_file_or_with_another_digest_writes_nothing(world, login):
    client = login(world.office)
    url = reverse("appraisal:roster_upload", args=[world.campaign.pk])
    before = counts()
    response = client.post(url, {"confirm": "1", "digest": "0" * 64}, follow=True)
    assert "请重新上传" in response.content.decode()
    check(client, world.campaign, workbook())
    client.post(url, {"confirm": "1", "digest": "f" * 64})
    assert counts() == before
    assert not AuditEvent.objects.filter(action="appraisal.roster.imported").exists()


def test_the_checked_file_is_kept_per_campaign_and_used_once(world, login):
    client = login(world.office)
    response = check(client, world.campaign, workbook())
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', response.content.decode()).group(1)
    url = reverse("appraisal:roster_upload", args=[world.campaign.pk])
    client.post(url, {"confirm": "1", "digest": digest})
    assert AuditEvent.objects.filter(action="appraisal.roster.imported").count() == 1
    again = client.post(url, {"confirm": "1", "digest": digest}, follow=True)
    assert "请重新上传" in again.content.decode()
    assert AuditEvent.objects.filter(action="appraisal.roster.imported").count() == 1
