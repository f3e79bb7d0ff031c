"""The 2026 campaign's investigation so far: what a newcomer sees on signing in.

Every row is written by the services the pages use, as the person who would write it,
so the audit log reads like a real fortnight of work.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from appraisal.models import Appraisal, Campaign, User, Voter
from demo.schedule import event_for_activity
from surveys.findings import services as findings
from surveys.models import Answer, Finding, InvestigationActivity, Question, Survey
from surveys.questionnaires import services as questionnaires

# Per unit (by its order in the demo): activities as (kind, days ago, place, summary),
# then findings as (activity index or None, topic, text, verdict, forwarded, prominent).
# A verdict is "verified", "unfounded", "verifying" or "" (just received).
ACTIVITIES: dict[int, list[tuple[str, int, str, str]]] = {
    0: [
        (
            "symposium",
            12,
            "市住建局三楼会议室",
            "与住建局及部分物业企业、业主代表座谈，听取对老旧小区改造、物业管理的意见。",
        ),
        (
            "unannounced_visit",
            8,
            "市政务服务中心住建窗口",
            "暗访住建窗口办件情况，体验商品房预售许可咨询流程。",
        ),
        (
            "field_inspection",
            5,
            "城南片区老旧小区改造项目",
            "实地察看三个改造项目的施工质量与进度。",
        ),
    ],
    1: [
        ("symposium", 10, "市交通运输局会议室", "与出租车、网约车驾驶员及乘客代表座谈。"),
        ("document_review", 6, "市交通运输局", "查阅2025年以来道路运输行政许可和执法案卷30卷。"),
    ],
    2: [
        ("unannounced_visit", 9, "市医保服务大厅", "暗访异地就医备案和门诊慢特病办理窗口。"),
    ],
    3: [
        ("field_inspection", 7, "城北农贸市场", "察看农贸市场食品快检室运行和价格公示情况。"),
    ],
}
FINDINGS: dict[int, list[tuple[int | None, str, str, str, bool, bool]]] = {
    0: [
        (
            0,
            "livelihood",
            "老旧小区改造后雨污分流不彻底，雨天部分楼栋化粪池外溢",
            "verified",
            True,
            True,
        ),
        (
            0,
            "service",
            "物业服务企业信用评价结果未向业主公开，业主无从监督",
            "verified",
            True,
            False,
        ),
        (
            1,
            "service",
            "窗口工作人员对预售许可所需材料一次性告知不到位，群众多次往返",
            "verified",
            False,
            False,
        ),
        (2, "law", "个别改造项目未按规定公示施工许可和监理单位", "verifying", False, False),
        (2, "livelihood", "反映改造项目偷工减料，经实地察看与设计相符", "unfounded", False, False),
        (None, "conduct", "部分工作人员下基层调研走过场，问题解决缓慢", "", False, False),
    ],
    1: [
        (0, "service", "网约车驾驶员证考试预约难，每月仅开放两次", "verified", True, False),
        (1, "law", "部分执法案卷处罚裁量说理不充分", "verified", False, True),
        (None, "livelihood", "城乡公交末班车时间过早，夜班职工出行不便", "verifying", False, False),
    ],
    2: [
        (
            0,
            "service",
            "异地就医备案线上办理入口不明显，老年人多需到大厅办理",
            "verified",
            True,
            False,
        ),
        (None, "integrity", "反映定点药店串换药品，尚待核查", "", False, False),
    ],
    3: [
        (0, "livelihood", "农贸市场快检室设备闲置，检测结果未按日公示", "verifying", False, False),
    ],
}
DEPUTY_OPINIONS = [
    ("deputy30", 0, "livelihood", "电梯加装政策审批环节多，老旧小区居民盼望简化手续"),
    ("deputy41", 2, "service", "医保个人账户家庭共济办理流程不清楚，希望加强宣传"),
    ("deputy55", 1, "conduct", "交通执法人员在高速路口检查时态度生硬"),
]
PUBLIC_OPINIONS = [
    (0, "小区维修资金申请公示期过长，电梯坏了三个月还没修好", "138****2716"),
    (1, "公交站台缺少遮雨棚，雨天老人孩子候车不便", ""),
    (3, "网购食品投诉后十多天无人回复", "微信同号 139****0521"),
]
# The deputies' questionnaire about the housing bureau: (text, kind, options).
QUESTIONS = [
    ("您对市住建局总体工作的评价", "satisfaction", ""),
    (
        "您认为该局最需要改进的方面（最多选两项）",
        "multiple",
        "窗口服务\n老旧小区改造\n物业监管\n建筑市场秩序",
    ),
    ("您对该局依法行政情况的打分", "rating", ""),
    ("您的其他意见建议", "text", ""),
]
TEXT_ANSWERS = [
    "建议公开老旧小区改造项目清单和进度，接受群众监督",
    "物业纠纷调处机制要落到社区一级",
    "窗口办事效率有提升，希望保持",
    "",
]


def load_investigation(campaign: Campaign, office: User) -> None:
    appraisals = list(
        Appraisal.objects.filter(campaign=campaign).select_related("work_group", "unit")
    )
    rng = random.Random(campaign.year + 1)
    for index, appraisal in enumerate(appraisals):
        leader = User.objects.get(username=f"group{index + 1}")
        _activities_and_findings(appraisal, leader, index)
    for username, index, topic, text in DEPUTY_OPINIONS:
        findings.finding_submit_by_deputy(
            appraisal=appraisals[index],
            deputy=User.objects.get(username=username),
            text=text,
            topic=topic,
        )
    for n, (index, text, contact) in enumerate(PUBLIC_OPINIONS):
        findings.finding_submit_public(
            appraisal=appraisals[index], text=text, contact=contact, address=f"203.0.113.{n + 10}"
        )
    _questionnaire(campaign, appraisals[0], User.objects.get(username="group1"), rng)
    _open_questionnaire(campaign, appraisals[1], User.objects.get(username="group2"))


def _activities_and_findings(appraisal: Appraisal, leader: User, index: int) -> None:
    today = timezone.localdate()
    activities: list[InvestigationActivity] = []
    for kind, days_ago, place, summary in ACTIVITIES.get(index, []):
        day = today - timedelta(days=days_ago)
        # Scheduled first, then recorded as held from its event.
        event = event_for_activity(
            appraisal=appraisal, leader=leader, kind=kind, day=day, place=place, summary=summary
        )
        activities.append(
            findings.activity_record(
                appraisal=appraisal,
                actor=leader,
                kind=kind,
                held_on=day,
                place=place,
                participants=f"{appraisal.work_group.name if appraisal.work_group else ''}全体成员",
                summary=summary,
                event=event,
            )
        )
    for activity_no, topic, text, verdict, forward, prominent in FINDINGS.get(index, []):
        finding = findings.finding_record(
            appraisal=appraisal,
            actor=leader,
            text=text,
            topic=topic,
            activity=activities[activity_no] if activity_no is not None else None,
        )
        if verdict:
            note = {
                "verified": "经查阅资料、走访相关人员，情况属实。",
                "unfounded": "经实地核查，反映情况与事实不符。",
                "verifying": "",
            }[verdict]
            finding = findings.finding_review(
                finding=finding,
                actor=leader,
                status=verdict,
                note=note,
                topic=topic,
                prominent=prominent,
            )
        if forward:
            findings.finding_forward(finding=finding, actor=leader)


def _questionnaire(
    campaign: Campaign, appraisal: Appraisal, leader: User, rng: random.Random
) -> None:
    """A deputies' questionnaire about the housing bureau with 40 answers, closed (signed-in
    answers stay sealed until the close), so its results show; one free text made into a
    finding."""
    survey = questionnaires.survey_save(
        campaign=campaign,
        appraisal=appraisal,
        actor=leader,
        title="人大代表对市住建局工作满意度问卷",
        intro="本问卷不记名，请根据您的了解如实填写。",
        audience=Survey.Audience.DEPUTIES,
        access=Survey.Access.LOGIN,
        opens_on=None,
        closes_on=None,
    )
    questions: list[Question] = []
    for text, kind, options in QUESTIONS:
        questions.append(
            questionnaires.question_save(
                survey=survey,
                actor=leader,
                kind=kind,
                text=text,
                required=kind != "text",
                options=options,
                max_choices=2 if kind == "multiple" else None,
            )
        )
    questionnaires.survey_set_state(survey=survey, actor=leader, state=Survey.State.OPEN)
    satisfaction, multiple, rating, free_text = questions
    weights = {"满意": 55, "基本满意": 30, "不满意": 10, "不了解": 5}
    # deputy31 to deputy70 answer.
    voters = (
        Voter.objects.filter(voter_group__campaign=campaign, user__username__startswith="deputy")
        .select_related("user")
        .order_by("user__username")
    )
    answered = 0
    for voter in voters:
        number = int(voter.user.username.removeprefix("deputy"))
        if not 31 <= number <= 70:
            continue
        choice = rng.choices(list(weights), weights=list(weights.values()))[0]
        questionnaires.response_submit(
            survey=survey,
            user=voter.user,
            answers={
                satisfaction.pk: [choice],
                multiple.pk: rng.sample(multiple.option_list(), rng.choice((1, 2))),
                rating.pk: [str(rng.choice((3, 4, 4, 5, 5)))],
                free_text.pk: TEXT_ANSWERS[answered % len(TEXT_ANSWERS)],
            },
        )
        answered += 1
    questionnaires.survey_set_state(survey=survey, actor=leader, state=Survey.State.CLOSED)
    promoted = Answer.objects.filter(question=free_text, text=TEXT_ANSWERS[0]).first()
    if promoted is not None:
        finding = findings.finding_from_answer(answer_id=promoted.pk, actor=leader)
        findings.finding_review(
            finding=finding,
            actor=leader,
            status=Finding.Status.VERIFYING,
            note="",
            topic=Finding.Topic.LAW,
            prominent=False,
        )


def _open_questionnaire(campaign: Campaign, appraisal: Appraisal, leader: User) -> None:
    """An open deputies' questionnaire no one has answered yet: every deputy finds it
    waiting on their home page."""
    survey = questionnaires.survey_save(
        campaign=campaign,
        appraisal=appraisal,
        actor=leader,
        title="人大代表对市交通运输局工作意见征询",
        intro="本问卷不记名，问卷结束后统一汇总。",
        audience=Survey.Audience.DEPUTIES,
        access=Survey.Access.LOGIN,
        opens_on=None,
        closes_on=None,
    )
    questionnaires.question_save(
        survey=survey, actor=leader, kind="satisfaction", text="您对市交通运输局总体工作的评价",
        required=True, options="", max_choices=None,
    )  # fmt: skip
    questionnaires.question_save(
        survey=survey, actor=leader, kind="text", text="您对城乡公交和出租车服务的意见建议",
        required=False, options="", max_choices=None,
    )  # fmt: skip
    questionnaires.survey_set_state(survey=survey, actor=leader, state=Survey.State.OPEN)
