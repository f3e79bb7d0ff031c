"""Titles on pages turn between words, as in print: <wbr> where a line may turn, CJK
words kept whole by the stylesheet."""

from pathlib import Path

import pytest
from django.urls import reverse

from appraisal.announcements import services as announcements
from appraisal.templatetags.titles import title_breaks


def test_a_title_gets_a_break_opportunity_between_words_only():
    assert str(title_breaks("关于市住房和城乡建设局工作评议的调研报告")) == (
        "关于<wbr>市住房和城乡建设局<wbr>工作评议<wbr>的调研<wbr>报告"
    )
    assert str(title_breaks("关于召开工作评议集中评议会议的通知")) == (
        "关于<wbr>召开<wbr>工作评议集中评议会议<wbr>的<wbr>通知"
    )
    # 年度工作评议 stays one word
    assert "年度<wbr>工作评议" not in str(title_breaks("江川市人大常委会2026年度工作评议"))


def test_what_someone_typed_is_escaped():
    assert str(title_breaks("关于<script>的通知")) == "关于<wbr>&lt;script&gt;<wbr>的<wbr>通知"


def test_headings_keep_cjk_words_whole():
    css = Path("static/css/app.css").read_text()
    rule = next(line for line in css.splitlines() if line.startswith("h1 {"))
    assert "word-break: keep-all" in rule and "overflow-wrap: anywhere" in rule


@pytest.mark.django_db
def test_a_notice_page_breaks_its_title_between_words(world, login):
    notice = announcements.announcement_save(
        campaign=world.campaign, actor=world.office, announcement=None,
        values={"kind": "meeting", "title": "关于召开工作评议集中评议会议的通知", "body": "定于下周召开。"},
    )  # fmt: skip
    html = login(world.office).get(reverse("appraisal:announcement", args=[notice.pk]))
    assert (
        "<h1>关于<wbr>召开<wbr>工作评议集中评议会议<wbr>的<wbr>通知</h1>" in html.content.decode()
    )
