"""Landing pages say what to do next: counts, to-dos and actions, in a fixed number of
queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.findings import services as findings
from surveys.questionnaires import services as questionnaires

pytestmark = pytest.mark.django_db

GROUPS = reverse("appraisal:workgroup_home")
UNIT = reverse("appraisal:unit_home")


def populate(world, n=1):
    for i in range(n):
        findings.activity_record(
            appraisal=world.appraisal_a, actor=world.leader, kind="symposium",
            held_on=datetime.date(2026, 4, 1), place="", participants="", summary=f"座谈{i}",
        )  # fmt: skip
        for status in ["received", "verifying", "verified", "verified", "unfounded"]:
            f = findings.finding_record(
                appraisal=world.appraisal_a, actor=world.leader, text=f"问题{i}{status}",
                topic="service",
            )  # fmt: skip
            if status != "received":
                findings.finding_review(
                    finding=f, actor=world.leader, status=status,
                    note="核实" if status in ("verified", "unfounded") else "", topic="service",
                    prominent=False,
                )  # fmt: skip
        f = findings.finding_record(
            appraisal=world.appraisal_a, actor=world.leader, text=f"已转交问题{i}", topic="law"
        )
        findings.finding_review(
            finding=f, actor=world.leader, status="verified", note="属实", topic="law",
            prominent=False,
        )  # fmt: skip
        findings.finding_forward(finding=f, actor=world.leader)
        survey = questionnaires.survey_save(
            campaign=world.campaign, appraisal=world.appraisal_a, actor=world.leader,
            title=f"问卷{i}", intro="", audience="public", access="link", opens_on=None,
            closes_on=None,
        )  # fmt: skip
        questionnaires.question_save(
            survey=survey, actor=world.leader, kind="text", text="意见", required=False,
            options="", max_choices=None,
        )  # fmt: skip
        questionnaires.survey_set_state(survey=survey, actor=world.leader, state="open")


def tiles(html):
    import re

    return {
        label.strip(): int(n)
        for n, label in re.findall(r'<span class="n">(\d+)</span>([^<]+)', html)
    }


def test_work_group_home_shows_counts_todos_and_actions(world, login):
    populate(world)
    html = login(world.leader).get(GROUPS).content.decode()
    counts = tiles(html)
    assert counts["调研活动"] == 1
    assert counts["已收到"] == 1 and counts["正在核实"] == 1
    assert counts["属实"] == 3 and counts["经核实不属实"] == 1 and counts["已转交"] == 1
    assert counts["进行中的问卷"] == 1
    assert "有 2 个问题待核实" in html
    assert "有 2 个已核实的问题尚未转交被评议单位" in html
    assert reverse("surveys:activities", args=[world.appraisal_a.pk]) in html
    assert "记录问题" in html


def test_empty_work_group_home_says_where_to_start(world, login):
    html = login(world.leader).get(GROUPS).content.decode()
    assert "尚无记录，请先记录调研活动" in html


def test_unit_home_shows_what_was_forwarded_and_what_is_due(world, login):
    populate(world)
    html = login(world.liaison_a).get(UNIT).content.decode()
    assert tiles(html)["转交本单位"] == 1
    assert "已转交问题0" in html
    assert "请逐一研究处理评议工作组转交的 1 个问题" in html
    for hidden in ["问题0received", "问题0verifying", "问题0verified", "问题0unfounded"]:
        assert hidden not in html  # never what was not forwarded
    other = login(world.liaison_b).get(UNIT).content.decode()
    assert "已转交问题0" not in other and tiles(other)["转交本单位"] == 0


@pytest.mark.parametrize(("who", "url"), [("leader", GROUPS), ("liaison_a", UNIT)])
def test_landing_page_queries_do_not_grow_with_the_data(world, login, who, url):
    client = login(getattr(world, who))
    populate(world, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    populate(world, 10)
    with CaptureQueriesContext(connection) as large:
        html = client.get(url).content.decode()
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    if who == "liaison_a":
        assert "已转交问题9" in html  # the newest, among the few listed
