"""Labels after Chinese text take a full-width colon (or none), never an ASCII one."""

import re
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CJK_THEN_ASCII_COLON = re.compile(r"[\u4e00-\u9fff\uff09\u3001]:(?!//)")


class _Form(forms.Form):
    name = forms.CharField(label="名称")


def test_form_labels_take_a_full_width_colon_in_chinese_only():
    with translation.override("zh-hans"):
        assert _Form()["name"].label_tag().endswith("名称：</label>")
    with translation.override("en"):
        assert _Form()["name"].label_tag().endswith("名称:</label>")


def test_no_template_or_translation_puts_an_ascii_colon_after_chinese():
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"]:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if path.suffix == ".po" and not line.startswith("msgstr"):
                continue
            if CJK_THEN_ASCII_COLON.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


@pytest.mark.django_db
def test_pages_show_no_ascii_colon_after_a_chinese_label(world, login):
    client = login(world.leader)
    for url in [
        reverse("surveys:activities", args=[world.appraisal_a.pk]),
        reverse("surveys:findings", args=[world.appraisal_a.pk]),
        reverse("surveys:survey_list", args=[world.appraisal_a.pk]),
    ]:
        html = client.get(url).content.decode()
        labels = re.findall(r"<label[^>]*>(.*?)</label>", html, re.S)
        assert labels, url
        bad = [label for label in labels if CJK_THEN_ASCII_COLON.search(label.strip())]
        assert bad == [], (url, bad)


@pytest.mark.django_db
def test_no_space_before_a_full_width_colon_on_the_closure_lines(world, login):
    """已销号 2026-11-30：… — the date sits against its colon on /deputy/ and /reminders/."""
    from tests.rectification.feedbackkit import items_in_every_state, raise_and_issue

    raised = raise_and_issue(world)
    items_in_every_state(world, raised.opinion_item)
    client = login(world.deputy)
    for url in [reverse("appraisal:deputy_home"), reverse("rectification:reminders")]:
        html = client.get(url).content.decode()
        assert "：" in html, url
        assert not re.search(r"\s(?:</[a-z]+>)*：", html), url
