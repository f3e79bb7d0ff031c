"""Issuing settings, document numbers, and the font checks."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from appraisal.documents import checks, fonts
from appraisal.documents.models import IssuedDocument
from appraisal.documents.services import (
    default_settings,
    document_issue,
    issuing_settings_save,
)
from appraisal.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_defaults_come_from_the_campaign(world):
    world.campaign.title = "江川市人大常委会2026年度工作评议"
    s = default_settings(world.campaign)
    assert s.committee_name == "江川市人民代表大会常务委员会"
    assert s.number_pattern == "江人常评〔{year}〕{n}号"


def test_numbers_are_allocated_once_and_never_reused(world):
    issue = lambda subject: document_issue(  # noqa: E731
        campaign=world.campaign, kind="notice", subject=subject, title="关于……的通报",
        date=dt.date(2026, 3, 5), actor=world.office,
    )  # fmt: skip
    first, second = issue("a"), issue("b")
    assert (first.number, second.number) == (1, 2)
    assert issue("a").pk == first.pk  # the same subject keeps its number
    assert first.number_text.endswith("〔2026〕1号")
    # Changing the settings later does not change what was issued.
    issuing_settings_save(
        campaign=world.campaign, actor=world.office, values={"signatory": "新署名"}
    )
    assert IssuedDocument.objects.get(pk=first.pk).signatory != "新署名"
    assert issue("c").number == 3 and issue("c").signatory == "新署名"
    assert AuditEvent.objects.filter(action="documents.document.issued").count() == 3
    assert AuditEvent.objects.filter(action="documents.settings.saved").exists()


def test_a_pattern_without_a_place_for_the_number_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        issuing_settings_save(
            campaign=world.campaign, actor=world.office, values={"number_pattern": "江人常评"}
        )


def test_check_fonts_names_a_file_per_role_and_checks_the_data(world, capsys):
    call_command("check_fonts")
    out = capsys.readouterr().out
    for role in fonts.ROLE_LABELS:
        assert role in out
    assert "/usr/share/fonts/" in out and "𠀀䶮赟喆堃" in out
    assert "every character of the current data prints" in out


def test_check_fonts_fails_on_data_no_font_prints(world, monkeypatch):
    monkeypatch.setattr(fonts, "FALLBACK", [])
    world.appraisal_a.unit.name = "𠀀城区管理局"
    world.appraisal_a.unit.save()
    with pytest.raises(CommandError):
        call_command("check_fonts")


def test_the_system_check_warns_without_a_rare_character_font(monkeypatch):
    assert not [m for m in checks.fonts_check() if m.id == "pingyi.W001"]
    monkeypatch.setattr(fonts, "FALLBACK", [])
    assert [m.id for m in checks.fonts_check()] == ["pingyi.W001"]


def test_the_office_edits_the_issuing_settings_and_others_cannot(world, login, client):
    from django.urls import reverse

    url = reverse("appraisal:issuing_settings", args=[world.campaign.pk])
    assert login(world.deputy).get(url).status_code in (302, 403, 404)
    office = login(world.office)
    page = office.get(url)
    assert page.status_code == 200 and "发文设置" in page.content.decode()
    data = {
        "committee_name": "江川市人民代表大会常务委员会", "issuing_office": "评议办",
        "letterhead": "江川市人大常委会评议办", "number_pattern": "江评〔{year}〕{n}号",
        "signatory": "评议办", "addressees": "各单位", "copy_to": "", "printed_by": "办公室",
    }  # fmt: skip
    assert office.post(url, {**data, "number_pattern": "江评"}).status_code == 200  # refused
    assert office.post(url, data).status_code == 302
    assert world.campaign.issuing_settings.number_pattern == "江评〔{year}〕{n}号"
